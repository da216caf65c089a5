package dev.keyhole.ftp.server.command.transfer;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** MODE: only S (stream). */
public final class ModeHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return switch (ctx.argument().trim().toUpperCase(Locale.ROOT)) {
      case "S" -> CommandContext.reply(200, "Mode set to S.");
      case "B", "C", "Z" -> CommandContext.reply(504, "Only stream mode is supported.");
      default -> CommandContext.reply(501, "Bad MODE command.");
    };
  }
}
