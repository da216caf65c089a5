package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.tls.internal.SessionReuse;
import dev.keyhole.ftp.server.tls.internal.TlsPipeline;
import dev.keyhole.ftp.transport.DataConnection;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * TLS on a data connection under PROT P. The server is the TLS server whichever side opened the
 * connection (as vsftpd and curl agree for active mode too); the handshake runs after the 150
 * reply, since clients such as curl start it only then. An SPDT connection started its handshake
 * right after {@code 200 DATA} and has its handler already.
 */
public final class DataTls {

  private static final Logger log = LoggerFactory.getLogger(DataTls.class);
  static final FtpReply HANDSHAKE_FAILED = FtpReply.of(522, "TLS negotiation on the data connection failed.");
  static final FtpReply REUSE_REQUIRED = FtpReply.of(522,
      "TLS session reuse required: the data connection must resume the control connection's TLS session.");

  private DataTls() {}

  /**
   * Completes once the connection is protected as the session asks (at once for PROT C), or fails
   * with the 522 reply for the client.
   */
  public static Mono<Void> secure(CommandContext ctx, DataConnection connection) {
    var session = ctx.session();
    var channel = connection.channel();
    var tls = ctx.server().tls();
    if (tls.isEmpty() || (!session.dataProtected() && TlsPipeline.of(channel).isEmpty())) {
      return Mono.empty();
    }
    boolean reuseRequired = tls.get().settings().requireSessionReuse()
        && !Boolean.TRUE.equals(channel.attr(TlsPipeline.IDENTIFIED_INSIDE_TLS).get());
    return Mono.<SslHandler>create(sink -> channel.eventLoop().execute(() -> sink.success(
            TlsPipeline.of(channel).orElseGet(() -> TlsPipeline.startServerFirst(channel,
                tls.get().newHandler(session.tlsContext().orElse(tls.get().sharedContext()), channel.alloc()))))))
        .flatMap(handler -> Mono.<SSLEngine>create(sink -> handler.handshakeFuture().addListener(f -> {
          if (f.isSuccess()) {
            sink.success(handler.engine());
          } else {
            log.info("session {}: TLS handshake on the data connection from {} failed: {}", session.id(),
                AddressFormats.hostPort(channel.remoteAddress()), f.cause().toString());
            sink.error(new FtpReplyException(HANDSHAKE_FAILED));
          }
        })))
        .flatMap(data -> {
          if (reuseRequired && !session.tlsSession().map(control -> SessionReuse.resumes(control, data)).orElse(false)) {
            log.info("session {}: data connection from {} did not resume the control connection's TLS session",
                session.id(), AddressFormats.hostPort(channel.remoteAddress()));
            return Mono.error(new FtpReplyException(REUSE_REQUIRED));
          }
          return Mono.<Void>empty();
        });
  }
}
