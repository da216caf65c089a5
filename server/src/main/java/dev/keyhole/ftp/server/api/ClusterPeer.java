package dev.keyhole.ftp.server.api;

import java.util.regex.Pattern;

/**
 * A node of a cluster of Keyhole servers behind one balancer: its identifier and the address its
 * peers reach it at. A node that receives {@code SPDT} for an identifier another node issued
 * relays the connection to that node (docs/cluster.md).
 *
 * @param id the node's identifier, as its {@code --node-id}: letters, digits, {@code .}, {@code _}
 *     and {@code -}, at most 63
 * @param host a host name (resolved when connecting, so that a Kubernetes pod's new address is
 *     found) or an address literal
 * @param port the port of the node's FTP listener
 */
public record ClusterPeer(String id, String host, int port) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,63}");

  /** Checks the identifier and the port. */
  public ClusterPeer {
    checkId(id);
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in cluster peer " + id);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of 1-65535 in cluster peer " + id);
    }
  }

  /** {@link IllegalArgumentException} unless {@code id} is a valid node identifier. */
  public static String checkId(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not a node id (letters, digits, '.', '_', '-', at most 63): '" + id + "'");
    }
    return id;
  }

  /** Reads {@code ID=HOST:PORT}, the host of an IPv6 literal in brackets ({@code b=[fd00::2]:21}). */
  public static ClusterPeer parse(String text) {
    int eq = text.indexOf('=');
    int colon = text.lastIndexOf(':');
    if (eq <= 0 || colon < eq) {
      throw new IllegalArgumentException("not ID=HOST:PORT: '" + text + "'");
    }
    String host = text.substring(eq + 1, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("an IPv6 address goes in brackets, ID=[ADDRESS]:PORT: '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not ID=HOST:PORT: '" + text + "'");
    }
    return new ClusterPeer(text.substring(0, eq), host, port);
  }

  @Override
  public String toString() {
    return id + "=" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
