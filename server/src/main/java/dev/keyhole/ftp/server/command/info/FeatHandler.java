package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.data.MlstFacts;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.util.ArrayList;
import reactor.core.publisher.Mono;

/** FEAT (RFC 2389): the extensions, one per line, each after a space; disabled data channels are left out. */
public final class FeatHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var kinds = ctx.server().config().get(ServerOptions.DATA_CHANNELS);
    var lines = new ArrayList<String>();
    lines.add("Features:");
    ctx.server().tls().ifPresent(tls -> {
      if (tls.settings().explicit()) {
        lines.add(" AUTH TLS");
      }
      lines.add(" CCC");
    });
    if (kinds.contains(DataChannelKind.EPRT)) {
      lines.add(" EPRT");
    }
    if (kinds.contains(DataChannelKind.EPSV)) {
      lines.add(" EPSV");
    }
    lines.add(" HOST");
    lines.add(" MDTM");
    lines.add(" MFMT");
    ctx.server().tls().ifPresent(tls -> {
      lines.add(" PBSZ");
      lines.add(" PROT");
    });
    lines.add(" " + MlstFacts.feature(ctx.session().mlstFacts()));
    lines.add(" REST STREAM");
    lines.add(" SIZE");
    if (kinds.contains(DataChannelKind.SPSV)) {
      lines.add(" SPSV");
    }
    lines.add(" TVFS");
    lines.add(" UTF8");
    lines.add("End");
    return Mono.just(FtpReply.multi(211, lines));
  }
}
