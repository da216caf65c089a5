/**
 * The FTP application-layer gateway: NAT46, NAT64 and single-port bridging ({@code FtpAlg}), and
 * its meters. It stands on the shared transport and knows no server or client.
 */
module dev.keyhole.alg {
  requires transitive dev.keyhole.transport;
  requires transitive micrometer.core;
  requires io.netty.transport.classes.epoll;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.keyhole.ftp.alg;
  exports dev.keyhole.ftp.alg.metrics;
}
