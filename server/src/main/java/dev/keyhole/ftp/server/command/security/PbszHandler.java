package dev.keyhole.ftp.server.command.security;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** PBSZ (RFC 4217 section 8): TLS has no protection buffer, so any size is answered PBSZ=0. */
public final class PbszHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    if (!ctx.session().controlTls() && ctx.session().tlsSession().isEmpty()) {
      return CommandContext.reply(503, "PBSZ needs a TLS control connection: send AUTH TLS first.");
    }
    String size = ctx.argument().trim();
    if (size.isEmpty() || size.length() > 10 || !size.chars().allMatch(Character::isDigit)) {
      return CommandContext.reply(501, "PBSZ needs a decimal buffer size.");
    }
    return CommandContext.reply(200, "PBSZ=0");
  }
}
