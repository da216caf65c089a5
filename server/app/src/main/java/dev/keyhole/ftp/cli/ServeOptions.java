package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.config.ConfigOption;
import java.util.List;

/**
 * The options of {@code keyhole serve} that are the command's, not the server library's, declared
 * once as {@code ServerOptions} are: each is a command-line flag and a YAML key.
 */
final class ServeOptions {

  private ServeOptions() {}

  static final ConfigOption<Integer> PORT = ConfigOption.integer("port", "N", 2121, 0,
      "port for --bind addresses without one; 0 picks a free port");

  static final ConfigOption<String> ROOT = ConfigOption.text("root", "DIR", "ftp-root",
      "directory served, created if missing");

  static final ConfigOption<Boolean> ANONYMOUS = ConfigOption.flag("anonymous",
      "let 'anonymous' and 'ftp' log in read-only with any password");

  static final ConfigOption<Integer> METRICS_PORT = ConfigOption.of("metrics-port", "N", Integer.class, null,
      ServeOptions::port, String::valueOf, "serve Prometheus /metrics and /health on this port");

  static final List<ConfigOption<?>> ALL = List.of(PORT, ROOT, ANONYMOUS, METRICS_PORT);

  private static Integer port(String text) {
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
