package dev.keyhole.ftp.server.command.auth;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.TlsPolicy;
import dev.keyhole.ftp.server.session.LoginState;
import reactor.core.publisher.Mono;

/** USER: the first step of login. Changing user while logged in is refused, as vsftpd does; REIN first. */
public final class UserHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    if (session.isLoggedIn()) {
      return CommandContext.reply(530, "Can't change to another user.");
    }
    String name = ctx.argument().trim();
    var refusal = TlsPolicy.loginRefusal(ctx, name);
    if (refusal.isPresent()) {
      return Mono.just(refusal.get());
    }
    session.login(new LoginState.UserGiven(name));
    if (ctx.authenticator().isAnonymousName(name)) {
      return CommandContext.reply(331, "Guest login ok, send your e-mail address as password.");
    }
    return CommandContext.reply(331, "Please specify the password.");
  }
}
