package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpCommand;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.data.MlstFacts;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** OPTS (RFC 2389): {@code UTF8 ON} (RFC 2640; paths are always UTF-8) and {@code MLST facts} (RFC 3659). */
public final class OptsHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var option = FtpCommand.parse(ctx.argument().trim());
    return switch (option.verb()) {
      case "UTF8", "UTF-8" -> switch (option.argument().trim().toUpperCase(Locale.ROOT)) {
        case "ON", "" -> CommandContext.reply(200, "Always in UTF8 mode.");
        default -> CommandContext.reply(504, "UTF8 cannot be turned off.");
      };
      case "MLST" -> {
        var facts = MlstFacts.parse(option.argument());
        ctx.session().mlstFacts(facts);
        yield CommandContext.reply(200, "MLST OPTS " + MlstFacts.list(facts));
      }
      default -> CommandContext.reply(501, "Option not understood.");
    };
  }
}
