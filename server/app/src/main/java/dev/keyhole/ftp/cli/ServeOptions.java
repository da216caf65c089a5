package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.server.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The options of {@code keyhole serve} that are the command's, not the server library's, declared
 * once as {@code ServerOptions} are: each is a command-line flag and a YAML key.
 */
final class ServeOptions {

  private ServeOptions() {}

  static final ConfigOption<Integer> PORT = ConfigOption.of("port", "N", Integer.class, 2121, ServeOptions::port,
      String::valueOf, "port for --bind addresses without one; 0 picks a free port");

  static final ConfigOption<String> ROOT = ConfigOption.text("root", "DIR", "ftp-root",
      "directory served, created if missing");

  static final ConfigOption<Boolean> ANONYMOUS = ConfigOption.flag("anonymous",
      "let 'anonymous' and 'ftp' log in read-only with any password");

  static final ConfigOption<Integer> METRICS_PORT = ConfigOption.of("metrics-port", "N", Integer.class, null,
      ServeOptions::port, String::valueOf, "serve Prometheus /metrics and /health on this port");

  static final ConfigOption<Boolean> TLS = ConfigOption.flag("tls",
      "offer explicit FTPS (AUTH TLS); without --tls-cert a self-signed certificate is made in --tls-dir "
          + "(in the file: on when the tls section is there, unless explicit: false)")
      .inYamlSection("tls", "explicit");

  static final ConfigOption<Path> TLS_CERT = ConfigOption.of("tls-cert", "FILE", Path.class, null, Path::of,
      Path::toString, "PEM certificate chain for FTPS").inYamlSection("tls", "cert");

  static final ConfigOption<Path> TLS_KEY = ConfigOption.of("tls-key", "FILE", Path.class, null, Path::of,
      Path::toString, "PEM private key of --tls-cert").inYamlSection("tls", "key");

  static final ConfigOption<Path> TLS_DIR = ConfigOption.of("tls-dir", "DIR", Path.class,
      TlsSettings.defaultSelfSignedDirectory(), Path::of, Path::toString,
      "where the self-signed certificate is made and kept").inYamlSection("tls", "selfSignedDir");

  static final ConfigOption<Integer> IMPLICIT_TLS_PORT = ConfigOption.of("implicit-tls-port", "N", Integer.class, null,
      ServeOptions::port, String::valueOf,
      "also listen for implicit FTPS (TLS from connect, usually 990) on this port of each bind address")
      .inYamlSection("tls", "implicitPort");

  static final ConfigOption<Boolean> REQUIRE_TLS = ConfigOption.flag("require-tls",
      "refuse login (530) and transfers (521) without TLS; anonymous users exempt").inYamlSection("tls", "require");

  static final ConfigOption<Boolean> REQUIRE_TLS_ANONYMOUS = ConfigOption.flag("require-tls-anonymous",
      "with --require-tls: anonymous users too").inYamlSection("tls", "requireForAnonymous");

  static final ConfigOption<Boolean> REQUIRE_TLS_SESSION_REUSE = ConfigOption.flag("require-tls-session-reuse",
      "data connections under TLS must resume the control connection's TLS session (522 otherwise)")
      .inYamlSection("tls", "requireSessionReuse");

  static final ConfigOption<Duration> TLS_HANDSHAKE_TIMEOUT = ConfigOption.duration("tls-handshake-timeout",
      Duration.ofSeconds(10), Duration.ofMillis(1), "the longest a TLS handshake may take")
      .inYamlSection("tls", "handshakeTimeout");

  static final ConfigOption<Path> LOG_FILE = ConfigOption.of("log-file", "FILE", Path.class, null, Path::of,
      Path::toString, "write the log to this file instead of standard error, reopened on SIGHUP (for logrotate)");

  static final ConfigOption<String> LOG_FORMAT = ConfigOption.of("log-format", "FORMAT", String.class, "text",
      ServeOptions::logFormat, s -> s, "text (date and zone, level, logger, message) or json (one object per line)");

  static final ConfigOption<Path> XFERLOG = ConfigOption.of("xferlog", "FILE", Path.class, null, Path::of,
      Path::toString, "write a line per file transfer in the wu-ftpd/vsftpd xferlog format, reopened on SIGHUP");

  static final ConfigOption<String> USER_STORE = ConfigOption.of("users", "URL", String.class, null,
      ServeOptions::jdbcUrl, s -> s, "read the users from this SQL database (jdbc:sqlite:FILE, jdbc:postgresql://...): "
          + "its keyhole_users table, managed with keyhole users, or --users-query")
      .inYaml("userStore");

  static final ConfigOption<String> USERS_QUERY = ConfigOption.of("users-query", "SQL", String.class, null, s -> s, s -> s,
      "read --users from an existing table with this query: :name and :host for the user and the virtual host, "
          + "returning password (bcrypt) and home, and optionally permissions, download_rate, upload_rate, quota_bytes, "
          + "quota_files");

  static final ConfigOption<Duration> USERS_CACHE = ConfigOption.duration("users-cache", Duration.ofSeconds(30),
      Duration.ZERO, "how long an account read from --users is kept before it is read again; 0 = every login reads it");

  static final List<ConfigOption<?>> ALL = List.of(PORT, ROOT, ANONYMOUS, METRICS_PORT, LOG_FILE, LOG_FORMAT, XFERLOG, TLS, TLS_CERT, TLS_KEY, TLS_DIR,
      IMPLICIT_TLS_PORT, REQUIRE_TLS, REQUIRE_TLS_ANONYMOUS, REQUIRE_TLS_SESSION_REUSE, TLS_HANDSHAKE_TIMEOUT, USER_STORE,
      USERS_QUERY, USERS_CACHE);

  /** A JDBC URL: {@code jdbc:sqlite:users.db}, {@code jdbc:postgresql://host/db}. */
  static String jdbcUrl(String text) {
    if (!text.startsWith("jdbc:")) {
      throw new IllegalArgumentException("not a JDBC URL (jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB): '" + text + "'");
    }
    return text;
  }

  private static String logFormat(String text) {
    if (!text.equals("text") && !text.equals("json")) {
      throw new IllegalArgumentException("text or json, not '" + text + "'");
    }
    return text;
  }

  /** A TCP port, 0 to 65535; {@link IllegalArgumentException} otherwise. */
  static Integer port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("not a port: '" + text + "'");
  }
}
