package dev.keyhole.ftp.server.command.transfer;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import reactor.core.publisher.Mono;

/**
 * ABOR when nothing runs: closes a prepared data channel and says there was no transfer. ABOR
 * during a transfer never reaches the command table: the control loop handles it at once.
 */
public final class AborHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    ctx.session().closeDataChannel();
    return Mono.just(Replies.ABOR_NOTHING);
  }
}
