package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** NOOP. */
public final class NoopHandler implements CommandHandler {

  /** The same reply every time: clients send NOOP as a keep-alive, many times a session. */
  private static final Mono<FtpReply> OK = CommandContext.reply(200, "NOOP ok.");

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return OK;
  }
}
