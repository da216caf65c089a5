package dev.keyhole.ftp.server.api;

import dev.keyhole.ftp.protocol.AddressFormats;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of addresses, {@code 10.0.0.0/8} or {@code fd00::/8}; a single address stands for
 * itself ({@code /32}, {@code /128}). An IPv4 block also holds the IPv4-mapped IPv6 form of its
 * addresses, as a dual-stack listener sees IPv4 clients.
 *
 * @param network the block's first address (the bits past the prefix are cleared)
 * @param prefix how many leading bits are fixed
 */
public record Cidr(InetAddress network, int prefix) {

  /** Checks the prefix and clears the address's host bits. */
  public Cidr {
    int max = network.getAddress().length * 8;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix /" + prefix + " out of 0-" + max);
    }
    network = masked(network, prefix);
  }

  /**
   * Reads {@code ADDRESS/PREFIX} or a lone address; addresses are literals, never names (no DNS
   * lookup happens here). {@link IllegalArgumentException} for anything else.
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    InetAddress network = AddressFormats.literal(literal, literal.contains(":"))
        .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'"));
    int max = network.getAddress().length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a prefix length: '" + text + "'");
      }
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix length out of 0-" + max + ": '" + text + "'");
    }
    return new Cidr(network, prefix);
  }

  /** Whether the address is in the block (an IPv4-mapped IPv6 address counts as its IPv4 address). */
  public boolean contains(InetAddress address) {
    byte[] a = unmapped(address).getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    return masked(a, prefix).equals(network);
  }

  @Override
  public String toString() {
    return AddressFormats.toText(network) + "/" + prefix;
  }

  private static InetAddress masked(InetAddress address, int prefix) {
    return masked(unmapped(address).getAddress(), prefix);
  }

  /** {@code ::ffff:a.b.c.d} as {@code a.b.c.d}; any other address as it is. */
  private static InetAddress unmapped(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length != 16 || b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return address;
      }
    }
    return bytes(java.util.Arrays.copyOfRange(b, 12, 16));
  }

  private static InetAddress masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.clamp(prefix - i * 8L, 0, 8);
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return bytes(out);
  }

  private static InetAddress bytes(byte[] address) {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
