package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.handler.TransferRunner;
import dev.keyhole.ftp.server.data.ListingFormatter;
import dev.keyhole.ftp.server.data.Transfers;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder.Direction;
import reactor.core.publisher.Flux;

/** MLSD (RFC 3659 7): a directory's entries as fact lines on the data connection. */
public final class MlsdHandler implements CommandHandler {

  @Override
  public Flux<FtpReply> handle(CommandContext ctx) {
    var target = ctx.path();
    var facts = ctx.session().mlstFacts();
    var user = ctx.user();
    return ListingSource.of(ctx, target).flatMapMany(source -> {
      if (!source.directory() || source.glob().isPresent()) {
        return Flux.just(FtpReply.of(501, "MLSD needs a directory; use MLST for a file."));
      }
      return TransferRunner.run(ctx, FtpReply.of(150, "Here comes the directory listing."), Direction.LISTING,
          null, transfer -> Transfers.sendLines(transfer,
                  source.entries(ctx).map(e -> ListingFormatter.facts(e, facts, user)))
              .thenReturn(Replies.LISTING_COMPLETE));
    });
  }
}
