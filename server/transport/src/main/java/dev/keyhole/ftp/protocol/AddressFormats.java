package dev.keyhole.ftp.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The address formats of the data-channel commands and replies: PORT and 227 ({@code
 * h1,h2,h3,h4,p1,p2}, RFC 959), EPRT ({@code |d|net-addr|port|}, RFC 2428) and 229 ({@code
 * (|||port|)}, any delimiter from 33 to 126). Parsers return empty on malformed input and never
 * resolve host names.
 */
public final class AddressFormats {

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3})");

  private AddressFormats() {}

  /** Formats an IPv4 address and port as {@code h1,h2,h3,h4,p1,p2}. */
  public static String formatHostPort(Inet4Address address, int port) {
    byte[] b = address.getAddress();
    return (b[0] & 0xFF) + "," + (b[1] & 0xFF) + "," + (b[2] & 0xFF) + "," + (b[3] & 0xFF) + ","
        + (port >> 8) + "," + (port & 0xFF);
  }

  /**
   * Parses the first {@code h1,h2,h3,h4,p1,p2} in the text: a PORT argument, or a 227 reply with or
   * without parentheses.
   */
  public static Optional<InetSocketAddress> parseHostPort(String text) {
    Matcher m = HOST_PORT.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    byte[] addr = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(m.group(i + 1));
      if (v > 255) {
        return Optional.empty();
      }
      addr[i] = (byte) v;
    }
    int p1 = Integer.parseInt(m.group(5));
    int p2 = Integer.parseInt(m.group(6));
    if (p1 > 255 || p2 > 255) {
      return Optional.empty();
    }
    try {
      return Optional.of(new InetSocketAddress(InetAddress.getByAddress(addr), p1 * 256 + p2));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The result of parsing an EPRT argument. */
  public sealed interface EprtArgument {
    /** A well-formed argument. */
    record Address(InetSocketAddress address) implements EprtArgument {}

    /** A well-formed argument whose network protocol number is not 1 or 2. */
    record UnsupportedProtocol(String protocol) implements EprtArgument {}

    /** Anything else. */
    record Malformed() implements EprtArgument {}
  }

  /**
   * A socket address as logs and people write it: {@code 192.0.2.7:2121}, {@code [2001:db8::7]:2121},
   * without the leading slash of {@code InetSocketAddress.toString()}.
   */
  public static String hostPort(java.net.@Nullable SocketAddress address) {
    if (!(address instanceof InetSocketAddress a) || a.getAddress() == null) {
      return String.valueOf(address);
    }
    String host = toText(a.getAddress());
    return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** An address as text in its shortest form (RFC 5952 for IPv6: {@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
  public static String toText(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    var sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  /** Formats an EPRT argument: {@code |1|a.b.c.d|port|} or {@code |2|v6addr|port|}. */
  public static String formatEprt(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    String proto = ip instanceof Inet6Address ? "2" : "1";
    return "|" + proto + "|" + toText(ip) + "|"
        + address.getPort() + "|";
  }

  /** Parses an EPRT argument {@code <d><net-prt><d><net-addr><d><tcp-port><d>}. */
  public static EprtArgument parseEprt(String arg) {
    if (arg.length() < 7) {
      return new EprtArgument.Malformed();
    }
    char d = arg.charAt(0);
    if (d < 33 || d > 126 || arg.charAt(arg.length() - 1) != d) {
      return new EprtArgument.Malformed();
    }
    String[] parts = arg.substring(1, arg.length() - 1).split(Pattern.quote(String.valueOf(d)), -1);
    if (parts.length != 3) {
      return new EprtArgument.Malformed();
    }
    int port = parsePort(parts[2]);
    if (port < 1) {
      return new EprtArgument.Malformed();
    }
    return switch (parts[0]) {
      case "1" -> literal(parts[1], false)
          .<EprtArgument>map(a -> new EprtArgument.Address(new InetSocketAddress(a, port)))
          .orElseGet(EprtArgument.Malformed::new);
      case "2" -> literal(parts[1], true)
          .<EprtArgument>map(a -> new EprtArgument.Address(new InetSocketAddress(a, port)))
          .orElseGet(EprtArgument.Malformed::new);
      default -> parts[0].matches("\\d+")
          ? new EprtArgument.UnsupportedProtocol(parts[0])
          : new EprtArgument.Malformed();
    };
  }

  /** Formats the text of a 229 reply: {@code Entering Extended Passive Mode (|||port|)}. */
  public static String formatEpsvReply(int port) {
    return "Entering Extended Passive Mode (|||" + port + "|)";
  }

  /**
   * Parses the port of a 229 reply text: {@code (<d><d><d><port><d>)} with any delimiter 33-126.
   */
  public static Optional<Integer> parseEpsvReply(String text) {
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    if (open < 0 || close < open + 6) {
      return Optional.empty();
    }
    String inner = text.substring(open + 1, close);
    char d = inner.charAt(0);
    if (d < 33 || d > 126 || inner.charAt(1) != d || inner.charAt(2) != d
        || inner.charAt(inner.length() - 1) != d) {
      return Optional.empty();
    }
    int port = parsePort(inner.substring(3, inner.length() - 1));
    return port > 0 ? Optional.of(port) : Optional.empty();
  }

  private static Optional<InetAddress> parseDottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] addr = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return Optional.empty();
      }
      addr[i] = (byte) v;
    }
    try {
      return Optional.of(InetAddress.getByAddress(addr));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static int parsePort(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int port = Integer.parseInt(s);
    return port <= 65535 ? port : -1;
  }

  /** Parses a numeric IP literal without any name lookup. */
  public static Optional<InetAddress> literal(String text, boolean v6) {
    if (v6) {
      if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
        return Optional.empty();
      }
    } else {
      return parseDottedQuad(text);
    }
    try {
      // a string with ':' is parsed as an IPv6 literal or refused: no name lookup happens
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
