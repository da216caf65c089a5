package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.command.CommandContext;
import dev.keyhole.ftp.server.command.CommandHandler;
import dev.keyhole.ftp.server.session.MlstFacts;
import java.util.List;
import reactor.core.publisher.Mono;

/** FEAT (RFC 2389): the extensions, one per line, each after a space. */
public final class FeatHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return Mono.just(FtpReply.multi(211, List.of(
        "Features:",
        " EPRT",
        " EPSV",
        " MDTM",
        " MFMT",
        " " + MlstFacts.feature(ctx.session().mlstFacts()),
        " REST STREAM",
        " SIZE",
        " TVFS",
        " UTF8",
        "End")));
  }
}
