package dev.keyhole.ftp.server.command.transfer;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.session.TransferType;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** TYPE: A (and A N) or I (and L 8); EBCDIC and other format controls are not supported. */
public final class TypeHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    String arg = ctx.argument().trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    return switch (arg) {
      case "A", "A N" -> set(ctx, TransferType.ASCII, "Switching to ASCII mode.");
      case "I", "L 8" -> set(ctx, TransferType.IMAGE, "Switching to Binary mode.");
      case "E", "E N", "A T", "A C", "E T", "E C" -> CommandContext.reply(504, "Unsupported TYPE parameter.");
      default -> CommandContext.reply(501, "Unrecognised TYPE command.");
    };
  }

  private static Mono<FtpReply> set(CommandContext ctx, TransferType type, String text) {
    ctx.session().type(type);
    return CommandContext.reply(200, text);
  }
}
