/**
 * The embeddable FTP server. Exported: the entry point ({@code FtpServer}), the API values and
 * options ({@code server.api}), and the SPIs for authentication, file systems, meters and TLS
 * settings. The listener, command handlers, session state, transfers and the TLS engine are
 * internal and not exported.
 */
module dev.keyhole.server {
  requires transitive dev.keyhole.transport;
  requires transitive micrometer.core;
  requires io.netty.codec.haproxy;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires io.netty.tcnative.classes.openssl;
  requires org.slf4j;
  // JdbcUserStore: the drivers come from the application (the keyhole command ships SQLite's)
  requires java.sql;
  // O_DIRECT for uploads (com.sun.nio.file.ExtendedOpenOption.DIRECT)
  requires jdk.unsupported;
  requires static transitive org.jspecify;

  exports dev.keyhole.ftp.server;
  exports dev.keyhole.ftp.server.api;
  exports dev.keyhole.ftp.server.auth;
  exports dev.keyhole.ftp.server.fs;
  exports dev.keyhole.ftp.server.metrics;
  exports dev.keyhole.ftp.server.tls;
}
