package dev.keyhole.ftp.server.command.datachannel;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.AddressFormats.EprtArgument;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import reactor.core.publisher.Mono;

/** EPRT {@code |d|address|port|} (RFC 2428): PORT for IPv4 and IPv6. */
public final class EprtHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return switch (AddressFormats.parseEprt(ctx.argument().trim())) {
      case EprtArgument.Address a ->
          ActiveAddressPolicy.accept(ctx, a.address(), "EPRT command successful. Consider using EPSV.");
      case EprtArgument.UnsupportedProtocol p -> CommandContext.reply(522, "Network protocol not supported, use (1,2)");
      case EprtArgument.Malformed m -> CommandContext.reply(501, "Illegal EPRT command.");
    };
  }
}
