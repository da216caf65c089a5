package dev.keyhole.ftp.server.command.security;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.tls.internal.TlsPipeline;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * AUTH TLS (RFC 4217 section 4; AUTH SSL, TLS-C and TLS-P as aliases, as vsftpd and Pure-FTPd
 * accept them): answers 234 in clear, then the client's TLS handshake begins. Accepting it resets
 * the session as REIN does: a user logged in before must log in again, now under TLS (RFC 2228).
 */
public final class AuthHandler implements CommandHandler {

  private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);
  private static final Set<String> MECHANISMS = Set.of("TLS", "TLS-C", "SSL", "TLS-P");

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    var tls = ctx.server().tls();
    if (tls.isEmpty() || !tls.get().settings().explicit()) {
      return CommandContext.reply(502, "AUTH not available: this server has no explicit FTPS.");
    }
    if (!MECHANISMS.contains(ctx.argument().trim().toUpperCase(Locale.ROOT))) {
      return CommandContext.reply(504, "Security mechanism not understood; use AUTH TLS.");
    }
    if (session.controlTls()) {
      return CommandContext.reply(503, "The control connection is already under TLS.");
    }
    session.reinitialize();
    var channel = session.control().channel();
    var server = tls.get();
    java.util.function.Consumer<javax.net.ssl.SSLSession> established = done -> {
      session.tlsSession(done);
      log.info("session {} from {}: TLS established ({}, {})", session.id(), AddressFormats.hostPort(session.remote()),
          done.getProtocol(), done.getCipherSuite());
    };
    if (server.hasHostCertificates() && session.host().isEmpty()) {
      // no HOST yet: the client's TLS server name chooses the certificate, and the host
      session.afterReply(() -> TlsPipeline.startServerBySni(channel, server, (name, context, handler) -> {
        session.tlsContext().ifPresent(server::release); // AUTH again after CCC
        session.tlsContext(context);
        name.flatMap(n -> ctx.server().config().virtualHosts().stream().filter(h -> h.answersTo(n)).findFirst())
            .ifPresent(session::host);
        handler.handshakeFuture().addListener(f -> {
          if (f.isSuccess()) {
            established.accept(handler.engine().getSession());
          }
        });
      }));
      session.controlTls(true);
      return CommandContext.reply(234, "Proceed with TLS negotiation.");
    }
    // HOST before AUTH chose the host: its certificate (RFC 7151 section 3.2)
    var chosen = session.host().map(h -> server.forName(h.name())).orElse(server);
    return ctx.blocking(chosen::contextForSession).map(context -> {
      session.tlsContext().ifPresent(server::release); // AUTH again after CCC
      session.tlsContext(context);
      session.afterReply(() -> TlsPipeline.startServer(channel, chosen.newHandler(context, channel.alloc()), established));
      session.controlTls(true);
      return FtpReply.of(234, "Proceed with TLS negotiation.");
    });
  }
}
