package dev.keyhole.ftp.server.command.datachannel;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import reactor.core.publisher.Mono;

/**
 * PASV: a listener on the control connection's local address, announced as that address or the
 * configured public one. PASV can only name IPv4 addresses: IPv6 clients are told to use EPSV.
 */
public final class PasvHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    InetAddress local = session.local().getAddress();
    var announced = ctx.server().config().find(ServerOptions.PUBLIC_ADDRESS).orElse(local);
    if (!(announced instanceof Inet4Address v4)) {
      return CommandContext.reply(425, "PASV needs IPv4: use EPSV.");
    }
    return ctx.server().dataChannels().openPassive(local, session.remote().getAddress(), session.control().channel().eventLoop()).map(listener -> {
      session.dataChannel(listener);
      return FtpReply.of(227, "Entering Passive Mode (" + AddressFormats.formatHostPort(v4, listener.port()) + ").");
    });
  }
}
