package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.data.FileEntry;
import dev.keyhole.ftp.server.data.ListingFormatter;
import java.util.List;
import reactor.core.publisher.Mono;

/** MLST (RFC 3659 7): one file's facts on the control connection. */
public final class MlstHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var target = ctx.path();
    var facts = ctx.session().mlstFacts();
    var user = ctx.user();
    return ctx.blocking(() -> {
      var entry = FileEntry.read(ctx.real(target), target.toString());
      return FtpReply.multi(250, List.of(
          "Listing " + target,
          " " + ListingFormatter.facts(entry, facts, user),
          "End."));
    });
  }
}
