package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.handler.TransferRunner;
import dev.keyhole.ftp.server.data.ListingFormatter;
import dev.keyhole.ftp.server.data.Transfers;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder.Direction;
import java.time.Instant;
import java.util.ArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** LIST: {@code ls -l} lines on the data connection; NLST: names only. */
public final class ListHandler implements CommandHandler {

  /** The most lines STAT with a path sends on the control connection. */
  public static final int MAX_STAT_LINES = 10_000;

  private final boolean namesOnly;

  private ListHandler(boolean namesOnly) {
    this.namesOnly = namesOnly;
  }

  public static ListHandler list() {
    return new ListHandler(false);
  }

  public static ListHandler nlst() {
    return new ListHandler(true);
  }

  @Override
  public Flux<FtpReply> handle(CommandContext ctx) {
    var target = ctx.session().cwd().resolve(ListingSource.withoutOptions(ctx.argument()));
    var now = Instant.now();
    return ListingSource.of(ctx, target).flatMapMany(source -> TransferRunner.run(ctx,
        FtpReply.of(150, "Here comes the directory listing."), Direction.LISTING, null,
        transfer -> Transfers.sendLines(transfer, source.entries(ctx)
                .map(e -> namesOnly ? e.name() : ListingFormatter.list(e, now)))
            .thenReturn(Replies.LISTING_COMPLETE)));
  }

  /** STAT with a path: the LIST lines as a 213 reply on the control connection (RFC 959 STAT). */
  public static Mono<FtpReply> statListing(CommandContext ctx) {
    var target = ctx.session().cwd().resolve(ListingSource.withoutOptions(ctx.argument()));
    var now = Instant.now();
    return ListingSource.of(ctx, target)
        .flatMap(source -> source.entries(ctx).take(MAX_STAT_LINES).map(e -> " " + ListingFormatter.list(e, now))
            .collectList())
        .map(lines -> {
          var all = new ArrayList<String>(lines.size() + 2);
          all.add("Status of " + target + ":");
          all.addAll(lines);
          all.add("End of status");
          return FtpReply.multi(213, all);
        });
  }
}
