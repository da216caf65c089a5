package dev.keyhole.ftp.server.command.transfer;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** STRU: only F (file) structure. */
public final class StruHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return switch (ctx.argument().trim().toUpperCase(Locale.ROOT)) {
      case "F" -> CommandContext.reply(200, "Structure set to F.");
      case "R", "P" -> CommandContext.reply(504, "Only file structure is supported.");
      default -> CommandContext.reply(501, "Bad STRU command.");
    };
  }
}
