package dev.keyhole.ftp.server.command.security;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.TlsPolicy;
import dev.keyhole.ftp.server.tls.internal.TlsPipeline;
import dev.keyhole.ftp.transport.KeyholePipeline;
import reactor.core.publisher.Mono;

/**
 * CCC (RFC 4217 section 6): the control connection goes back to clear text after login, so that
 * NAT devices can read PORT and PASV again; data connections keep their protection level. Refused
 * before login where TLS is required: the password must not follow in clear.
 */
public final class CccHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    if (!session.controlTls()) {
      return CommandContext.reply(533, "The control connection is not under TLS.");
    }
    if (!session.isLoggedIn() && TlsPolicy.required(ctx, false)) {
      return CommandContext.reply(534, "CCC is refused before login: log in under TLS first.");
    }
    var channel = session.control().channel();
    session.afterReply(() -> TlsPipeline.clearControl(channel, KeyholePipeline.COMMAND_DECODER));
    session.controlTls(false);
    return CommandContext.reply(200, "The control connection is now in clear text.");
  }
}
