package dev.keyhole.ftp.server.command.datachannel;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.handler.CommandContext;
import java.net.InetSocketAddress;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The RFC 2577 checks of PORT and EPRT: no third-party address (the FTP bounce attack) and no
 * privileged port, unless configured otherwise. On success the address becomes the session's
 * data channel.
 */
final class ActiveAddressPolicy {

  private ActiveAddressPolicy() {}

  static Mono<FtpReply> accept(CommandContext ctx, InetSocketAddress target, String okText) {
    return refusal(ctx, target).map(Mono::just).orElseGet(() -> {
      var session = ctx.session();
      session.dataChannel(ctx.server().dataChannels().active(target, session.local().getAddress()));
      return CommandContext.reply(200, okText);
    });
  }

  private static Optional<FtpReply> refusal(CommandContext ctx, InetSocketAddress target) {
    var config = ctx.server().config();
    if (!config.get(ServerOptions.ALLOW_FOREIGN_DATA_ADDRESS) && !target.getAddress().equals(ctx.session().remote().getAddress())) {
      return Optional.of(FtpReply.of(501, "Rejected data connection to a foreign address."));
    }
    if (!config.get(ServerOptions.ALLOW_LOW_DATA_PORTS) && target.getPort() < 1024) {
      return Optional.of(FtpReply.of(501, "Rejected data connection to a privileged port."));
    }
    return Optional.empty();
  }
}
