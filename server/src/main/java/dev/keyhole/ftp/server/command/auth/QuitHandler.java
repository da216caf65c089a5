package dev.keyhole.ftp.server.command.auth;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import reactor.core.publisher.Mono;

/** QUIT: 221, after which the control loop closes the connection. Queued behind a running transfer. */
public final class QuitHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return Mono.just(Replies.GOODBYE);
  }
}
