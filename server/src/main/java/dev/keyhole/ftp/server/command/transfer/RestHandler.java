package dev.keyhole.ftp.server.command.transfer;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** REST (RFC 3659 5, STREAM mode): the byte offset at which the next RETR or STOR starts. */
public final class RestHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    String arg = ctx.argument().trim();
    long offset;
    try {
      offset = arg.chars().allMatch(Character::isDigit) ? Long.parseLong(arg) : -1;
    } catch (NumberFormatException e) {
      offset = -1;
    }
    if (offset < 0) {
      return CommandContext.reply(501, "REST needs a byte offset of 0 or more.");
    }
    ctx.session().restartOffset(offset);
    return CommandContext.reply(350, "Restart position accepted (" + offset + ").");
  }
}
