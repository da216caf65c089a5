package dev.keyhole.ftp.server.command.auth;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** ACCT: accounts are not used; 202 says the command is superfluous (RFC 959 5.4). */
public final class AcctHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return CommandContext.reply(202, "ACCT not needed on this server.");
  }
}
