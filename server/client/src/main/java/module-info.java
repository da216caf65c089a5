/** The reactive FTP client: every data-channel kind, clear or TLS, on event loops it owns or is given. */
module dev.keyhole.client {
  requires transitive dev.keyhole.transport;
  requires static transitive org.jspecify;

  exports dev.keyhole.ftp.client;
}
