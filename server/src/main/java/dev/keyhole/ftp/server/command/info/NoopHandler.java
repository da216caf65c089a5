package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.command.CommandContext;
import dev.keyhole.ftp.server.command.CommandHandler;
import reactor.core.publisher.Mono;

/** NOOP. */
public final class NoopHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return CommandContext.reply(200, "NOOP ok.");
  }
}
