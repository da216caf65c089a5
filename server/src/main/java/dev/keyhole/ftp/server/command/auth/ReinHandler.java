package dev.keyhole.ftp.server.command.auth;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** REIN: logs out and resets the session to the state after the greeting. */
public final class ReinHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    ctx.session().reinitialize();
    ctx.session().reinitializeHost(); // RFC 7151: REIN forgets the HOST
    return CommandContext.reply(220, "Service ready for new user.");
  }
}
