package dev.keyhole.ftp.server.command.security;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * PROT (RFC 4217 section 9): P protects data connections with TLS, C leaves them clear; S and E
 * have no meaning under TLS (536). Like vsftpd it needs a TLS session, not a PBSZ before it:
 * several clients send PROT without PBSZ.
 */
public final class ProtHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    if (!session.controlTls() && session.tlsSession().isEmpty()) {
      return CommandContext.reply(503, "PROT needs a TLS control connection: send AUTH TLS first.");
    }
    return switch (ctx.argument().trim().toUpperCase(Locale.ROOT)) {
      case "P" -> {
        session.dataProtected(true);
        yield CommandContext.reply(200, "Protection level set to Private.");
      }
      case "C" -> {
        session.dataProtected(false);
        yield CommandContext.reply(200, "Protection level set to Clear.");
      }
      case "S", "E" -> CommandContext.reply(536, "Only the protection levels C and P are supported.");
      default -> CommandContext.reply(504, "Unknown protection level; use C or P.");
    };
  }
}
