package dev.keyhole.ftp.server.command.datachannel;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import java.net.Inet6Address;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * EPSV (RFC 2428): a listener on the control connection's local address; {@code EPSV ALL} locks
 * the session to EPSV; {@code EPSV 1|2} for another address family than the control connection's
 * is answered 522 with the one the server can offer.
 */
public final class EpsvHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    String arg = ctx.argument().trim().toUpperCase(Locale.ROOT);
    String family = session.local().getAddress() instanceof Inet6Address ? "2" : "1";
    if (arg.equals("ALL")) {
      session.epsvAll(true);
      return CommandContext.reply(200, "EPSV ALL ok.");
    }
    if (!arg.isEmpty() && !arg.matches("\\d+")) {
      return CommandContext.reply(501, "Syntax: EPSV [1|2|ALL]");
    }
    if (!arg.isEmpty() && !arg.equals(family)) {
      return CommandContext.reply(522, "Network protocol not supported, use (" + family + ")");
    }
    return ctx.server().dataChannels()
        .openPassive(session.local().getAddress(), session.remote().getAddress(), session.control().channel().eventLoop())
        .map(listener -> {
          session.dataChannel(listener);
          return FtpReply.of(229, AddressFormats.formatEpsvReply(listener.port()));
        });
  }
}
