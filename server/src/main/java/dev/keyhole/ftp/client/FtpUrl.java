package dev.keyhole.ftp.client;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An {@code ftp://[user[:password]@]host[:port]/path} URL. Without a user it is an anonymous
 * login; percent-escapes in the user, password and path are decoded.
 *
 * @param host the host name or address literal (without brackets)
 * @param port the port, 21 by default
 * @param user the login name
 * @param password the password
 * @param path the path on the server, {@code /} at least
 */
public record FtpUrl(String host, int port, String user, String password, String path) {

  public static FtpUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + text);
    }
    if (!"ftp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("expected ftp://[user[:password]@]host[:port]/path, got " + text);
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
    return new FtpUrl(host, uri.getPort() < 0 ? 21 : uri.getPort(), user, password, path);
  }

  /** The last name of the path, or empty for a directory URL. */
  public String fileName() {
    int slash = path.lastIndexOf('/');
    return path.substring(slash + 1);
  }

  @Override
  public String toString() {
    return "ftp://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
  }
}
