package dev.keyhole.ftp.server.command.datachannel;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/**
 * SPSV (draft-rosenau-ftp-single-port-05 section 3.1): an identifier that a new connection to the
 * control port presents with SPDT to become this session's data connection. A new SPSV replaces
 * the session's pending identifier; each serves one data connection.
 */
public final class SpsvHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    var config = ctx.server().config();
    return ctx.server().spdt()
        .issue(session.id(), session.remote().getAddress(), config.get(ServerOptions.SPDT_FROM_ANY_ADDRESS),
            ctx.server().dataChannels().timer(session.control().channel().eventLoop()))
        .map(binding -> {
          session.dataChannel(binding);
          if (session.dataProtected()) {
            var channel = session.control().channel();
            ctx.server().tls().ifPresent(tls -> binding.secureWith(() -> tls.newHandler(
                session.tlsContext().orElse(tls.sharedContext()), channel.alloc())));
          }
          // the informational text must not contain parentheses (section 3.1)
          return FtpReply.of(227, "Entering Single Port Passive Mode (" + binding.identifier() + ")");
        })
        .map(Mono::just)
        .orElseGet(() -> CommandContext.reply(425, "Too many pending SPSV data connections, try again later."));
  }
}
