package dev.keyhole.ftp.server.command.datachannel;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/**
 * SPDT where it does not belong. As the first command of a new connection (or after USER/PASS
 * only) the control loop hands it to the listener, which makes the connection a data connection;
 * this handler answers it anywhere else.
 */
public final class SpdtHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return CommandContext.reply(503, "SPDT is only accepted as the first command of a new connection.");
  }
}
