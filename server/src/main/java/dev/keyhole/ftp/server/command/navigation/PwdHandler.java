package dev.keyhole.ftp.server.command.navigation;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import reactor.core.publisher.Mono;

/** PWD and XPWD. */
public final class PwdHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return Mono.just(Replies.path(ctx.session().cwd().toString(), "is the current directory"));
  }
}
