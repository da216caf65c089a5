package dev.keyhole.ftp.server.command;

import dev.keyhole.ftp.server.handler.CommandContext;

import dev.keyhole.ftp.server.api.FtpInterceptor;
import dev.keyhole.ftp.server.api.FtpInterceptor.Action;
import dev.keyhole.ftp.server.api.FtpInterceptor.Client;
import dev.keyhole.ftp.server.api.FtpInterceptor.Decision;
import dev.keyhole.ftp.server.session.LoginState;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the configured {@link FtpInterceptor}s for one command: the command itself, then what it
 * would do (log in, upload, download, delete, rename, make a directory). The first decision that
 * is not ALLOW wins; an interceptor that fails denies (451), so that a broken policy fails closed.
 */
final class Interceptions {

  private static final Logger log = LoggerFactory.getLogger(Interceptions.class);
  private static final Decision FAILED = Decision.deny(451, "Requested action aborted: local error in processing.");

  private Interceptions() {}

  static Mono<Decision> decide(CommandContext ctx, List<FtpInterceptor> interceptors) {
    var actions = actions(ctx);
    return Flux.fromIterable(actions)
        .concatMap(action -> Flux.fromIterable(interceptors)
            .concatMap(interceptor -> Mono.defer(() -> interceptor.intercept(action))
                .defaultIfEmpty(Decision.ALLOW)
                .onErrorResume(e -> {
                  log.warn("session {}: interceptor {} failed on {}: {}", ctx.session().id(), interceptor, action, e.toString());
                  return Mono.just(FAILED);
                })))
        .filter(decision -> !(decision instanceof Decision.Allow))
        .next()
        .defaultIfEmpty(Decision.ALLOW);
  }

  private static List<Action> actions(CommandContext ctx) {
    var session = ctx.session();
    var client = new Client(session.id(), session.remote(), session.userName());
    String verb = ctx.command().verb();
    var actions = new ArrayList<Action>(2);
    actions.add(new Action.Command(client, verb, verb.equals("PASS") ? "****" : ctx.argument()));
    switch (verb) {
      case "PASS" -> {
        if (session.login() instanceof LoginState.UserGiven given) {
          actions.add(new Action.Login(client, given.name()));
        }
      }
      case "STOR", "APPE", "STOU" -> actions.add(new Action.Upload(client,
          (ctx.command().hasArgument() ? ctx.path() : session.cwd()).toString(), verb.equals("APPE")));
      case "RETR" -> actions.add(new Action.Download(client, ctx.path().toString()));
      case "DELE" -> actions.add(new Action.Delete(client, ctx.path().toString(), false));
      case "RMD", "XRMD" -> actions.add(new Action.Delete(client, ctx.path().toString(), true));
      case "MKD", "XMKD" -> actions.add(new Action.MakeDirectory(client, ctx.path().toString()));
      case "RNTO" -> session.renameFrom().ifPresent(from ->
          actions.add(new Action.Rename(client, from.toString(), ctx.path().toString())));
      default -> { }
    }
    return actions;
  }
}
