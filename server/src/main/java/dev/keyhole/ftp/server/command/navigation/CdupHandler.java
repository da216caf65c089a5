package dev.keyhole.ftp.server.command.navigation;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** CDUP and XCUP: to the parent directory; at the root it stays there. */
public final class CdupHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return CwdHandler.change(ctx, ctx.session().cwd().parent());
  }
}
