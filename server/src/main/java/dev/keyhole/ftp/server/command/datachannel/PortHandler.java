package dev.keyhole.ftp.server.command.datachannel;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** PORT {@code h1,h2,h3,h4,p1,p2}: the server will connect to the client. */
public final class PortHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    String arg = ctx.argument().trim();
    if (!arg.matches("\\d{1,3}(,\\d{1,3}){5}")) {
      return CommandContext.reply(501, "Illegal PORT command.");
    }
    return AddressFormats.parseHostPort(arg)
        .map(target -> ActiveAddressPolicy.accept(ctx, target, "PORT command successful. Consider using PASV."))
        .orElseGet(() -> CommandContext.reply(501, "Illegal PORT command."));
  }
}
