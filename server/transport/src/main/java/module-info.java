/**
 * What the FTP server, client and ALG share and none of them owns: the control-channel codec
 * ({@code protocol}), the data connections, the SPSV/SPDT handshake and the
 * data relay ({@code transport}), and
 * options declared once ({@code config}).
 */
module dev.keyhole.transport {
  requires transitive reactor.netty.core;
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires transitive io.netty.buffer;
  requires transitive io.netty.common;
  requires transitive io.netty.transport;
  requires transitive io.netty.codec;
  requires transitive io.netty.handler;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  // Reactor Netty's TcpClient resolves through Netty's DNS resolver, which nothing else requires
  requires io.netty.resolver.dns;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.keyhole.ftp.config;
  exports dev.keyhole.ftp.protocol;
  exports dev.keyhole.ftp.transport;
}
