package dev.keyhole.ftp.alg;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The four addresses of one ALG session: the client's and the ALG's on the client's connection,
 * the server's and the ALG's on the upstream connection. Data mappings listen and connect from the
 * ALG's address on the matching side, so that they share their control connection's addresses.
 */
record Endpoints(InetSocketAddress clientRemote, InetSocketAddress clientLocal, InetSocketAddress upstreamRemote,
    InetSocketAddress upstreamLocal) {

  /** Whether the client reached the ALG over IPv4. */
  boolean clientIsV4() {
    return clientLocal.getAddress() instanceof Inet4Address;
  }

  /** The ALG's IPv4 address toward the client; only for modes whose client side is IPv4. */
  Inet4Address clientLocalV4() {
    return v4(clientLocal);
  }

  /** The ALG's IPv4 address toward the server; only for modes whose server side is IPv4. */
  Inet4Address upstreamLocalV4() {
    return v4(upstreamLocal);
  }

  private static Inet4Address v4(InetSocketAddress address) {
    if (address.getAddress() instanceof Inet4Address v4) {
      return v4;
    }
    throw new IllegalStateException("not an IPv4 address: " + address);
  }
}
