package dev.keyhole.ftp.server.command.auth;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.User;
import dev.keyhole.ftp.server.fs.FileSystemView;
import dev.keyhole.ftp.server.fs.VirtualPath;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.handler.TlsPolicy;
import dev.keyhole.ftp.server.session.LoginState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * PASS: checks the password on a virtual thread (hashing is slow on purpose). A wrong password is
 * answered after a delay, and the connection is closed after too many.
 */
public final class PassHandler implements CommandHandler {

  private static final Logger log = LoggerFactory.getLogger(PassHandler.class);

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    if (session.isLoggedIn()) {
      return CommandContext.reply(230, "Already logged in.");
    }
    if (!(session.login() instanceof LoginState.UserGiven given)) {
      return CommandContext.reply(503, "Login with USER first.");
    }
    var refusal = TlsPolicy.loginRefusal(ctx, given.name());
    if (refusal.isPresent()) {
      // USER was accepted under TLS, which CCC has dropped since: no password in clear
      return Mono.just(refusal.get());
    }
    if (ctx.server().bans().locked(given.name())) {
      return failed(ctx, given.name());
    }
    var authenticator = ctx.authenticator();
    boolean blocks = authenticator.blocks();
    var login = authenticator.authenticate(given.name(), ctx.argument(), session.remote())
        .flatMap(user -> user.isEmpty() ? failed(ctx, given.name())
            : fileSystem(ctx, user.get(), blocks).flatMap(fs -> loggedIn(ctx, user.get(), fs)));
    // a costly check runs on a virtual thread, and the file system opens on that same one; a
    // cheap check runs here, on the event loop
    return blocks ? login.subscribeOn(ctx.server().blocking()) : login;
  }

  /**
   * The user's file system, with the quota's usage as the disk has it now: opened at once where
   * the factory can (and no quota must be read), on this thread when it is already a virtual one,
   * else on one: each hop to another thread costs a wake-up on every login.
   */
  private static Mono<FileSystemView> fileSystem(CommandContext ctx, User user, boolean onVirtualThread) {
    var quotas = ctx.server().quotas();
    if (!onVirtualThread && !quotas.enabled(user.limits())) {
      var now = ctx.fileSystemFactory().openAtOnce(user);
      if (now.isPresent()) {
        return Mono.just(now.get());
      }
    }
    var open = Mono.fromCallable(() -> {
      var fs = ctx.fileSystemFactory().open(user);
      quotas.refresh(user.home(), user.limits());
      return fs;
    });
    return onVirtualThread ? open : open.subscribeOn(ctx.server().blocking());
  }

  private static Mono<FtpReply> loggedIn(CommandContext ctx, User user, FileSystemView fs) {
    var session = ctx.session();
    session.login(new LoginState.LoggedIn(user, fs));
    session.cwd(VirtualPath.ROOT);
    log.info("session {} from {}: {} logged in{}{}", session.id(), AddressFormats.hostPort(session.remote()), user.name(),
        ctx.host().map(h -> " on host " + h.name()).orElse(""), session.controlTls() ? " (TLS)" : "");
    ctx.server().publish(new FtpEvent.LoggedIn(session.id(), user.name()));
    ctx.server().config().metrics().login(hostTag(ctx), true);
    return Mono.just(LOGGED_IN);
  }

  private static final FtpReply LOGGED_IN = FtpReply.of(230, "Login successful.");

  /** The virtual host as a meter tag: a configured name, or {@code default}. */
  private static String hostTag(CommandContext ctx) {
    return ctx.host().map(h -> h.name()).orElse("default");
  }

  private static Mono<FtpReply> failed(CommandContext ctx, String name) {
    var session = ctx.session();
    var config = ctx.server().config();
    int failures = session.loginFailed();
    session.login(new LoginState.Anonymous());
    ctx.server().bans().loginFailed(session.remote().getAddress(), name);
    log.info("session {} from {}: login as {} refused ({} of {})", session.id(), AddressFormats.hostPort(session.remote()), name,
        failures, config.get(ServerOptions.MAX_LOGIN_FAILURES));
    ctx.server().publish(new FtpEvent.LoginFailed(session.id(), name, session.remote()));
    config.metrics().login(hostTag(ctx), false);
    FtpReply reply = failures >= config.get(ServerOptions.MAX_LOGIN_FAILURES)
        ? Replies.TOO_MANY_FAILURES
        : FtpReply.of(530, "Login incorrect.");
    return Mono.delay(config.get(ServerOptions.FAILED_LOGIN_DELAY)).thenReturn(reply);
  }
}
