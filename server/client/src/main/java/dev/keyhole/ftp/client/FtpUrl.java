package dev.keyhole.ftp.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * An {@code ftp://[user[:password]@]host[:port]/path} URL; {@code ftps://} for implicit FTPS (port
 * 990 by default) and {@code ftpes://} for explicit FTPS (AUTH TLS, as FileZilla names it). Without a user it is an anonymous
 * login; percent-escapes in the user, password and path are decoded.
 *
 * @param host the host name or address literal (without brackets)
 * @param port the port, 21 by default
 * @param user the login name
 * @param password the password
 * @param path the path on the server, {@code /} at least
 * @param security clear, explicit or implicit FTPS
 */
public record FtpUrl(String host, int port, String user, String password, String path, Security security,
    Optional<InetSocketAddress> spdtAddress) {

  /** Whether and how the connection uses TLS. */
  public enum Security {
    /** {@code ftp://} */
    NONE,
    /** {@code ftpes://}: AUTH TLS after the greeting */
    EXPLICIT,
    /** {@code ftps://}: TLS from connect */
    IMPLICIT
  }

  /** A plain {@code ftp://} URL. */
  public FtpUrl(String host, int port, String user, String password, String path) {
    this(host, port, user, password, path, Security.NONE);
  }

  /** A URL whose SPDT connections go to the control connection's server. */
  public FtpUrl(String host, int port, String user, String password, String path, Security security) {
    this(host, port, user, password, path, security, Optional.empty());
  }

  /**
   * Parses {@code ftp://} or {@code ftps://} URLs; {@link IllegalArgumentException} for anything
   * else. A query {@code ?spdt=HOST:PORT} sends the SPDT data connections there instead of to the
   * control connection's server: to another node of a cluster, whose relay is then what is used.
   */
  public static FtpUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + text);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Security security = switch (scheme) {
      case "ftp" -> Security.NONE;
      case "ftpes" -> Security.EXPLICIT;
      case "ftps" -> Security.IMPLICIT;
      default -> null;
    };
    if (security == null || uri.getHost() == null) {
      throw new IllegalArgumentException("expected ftp://[user[:password]@]host[:port]/path (or ftps://, ftpes://), got " + text);
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    String user = "anonymous";
    String password = "keyhole@";
    if (uri.getUserInfo() != null) {
      String info = uri.getUserInfo();
      int colon = info.indexOf(':');
      user = colon < 0 ? info : info.substring(0, colon);
      password = colon < 0 ? "" : info.substring(colon + 1);
    }
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    int defaultPort = security == Security.IMPLICIT ? 990 : 21;
    Optional<InetSocketAddress> spdt = Optional.empty();
    if (uri.getQuery() != null) {
      if (!uri.getQuery().startsWith("spdt=")) {
        throw new IllegalArgumentException("the only query a URL may have is ?spdt=HOST:PORT, got " + text);
      }
      spdt = Optional.of(hostPort(uri.getQuery().substring(5), text));
    }
    return new FtpUrl(host, uri.getPort() < 0 ? defaultPort : uri.getPort(), user, password, path, security, spdt);
  }

  /** {@code HOST:PORT} or {@code [V6]:PORT}, the host left unresolved (it is resolved when connecting). */
  private static InetSocketAddress hostPort(String value, String url) {
    int colon = value.lastIndexOf(':');
    try {
      String host = value.substring(0, Math.max(colon, 0));
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port = Integer.parseInt(value.substring(colon + 1));
      if (colon <= 0 || port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return InetSocketAddress.createUnresolved(host, port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not HOST:PORT in ?spdt=: " + url);
    }
  }

  /** The last name of the path, or empty for a directory URL. */
  public String fileName() {
    int slash = path.lastIndexOf('/');
    return path.substring(slash + 1);
  }

  @Override
  public String toString() {
    String scheme = switch (security) {
      case NONE -> "ftp://";
      case EXPLICIT -> "ftpes://";
      case IMPLICIT -> "ftps://";
    };
    return scheme + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path
        + spdtAddress.map(a -> "?spdt=" + (a.getHostString().contains(":") ? "[" + a.getHostString() + "]"
            : a.getHostString()) + ":" + a.getPort()).orElse("");
  }
}
