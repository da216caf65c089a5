package dev.keyhole.ftp.server.command;

import dev.keyhole.ftp.protocol.ControlInput;
import dev.keyhole.ftp.protocol.FtpCommand;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.protocol.OverlongLine;
import dev.keyhole.ftp.server.api.FtpInterceptor;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandSpec;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.session.FtpSession;
import dev.keyhole.ftp.server.session.ServerContext;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;

/**
 * Checks each command against its {@link CommandSpec} (known verb, login, argument, permission)
 * and runs its handler; turns any error into a reply.
 */
public final class CommandDispatcher {

  /** What EPSV ALL locks out: every data-channel setup but EPSV (RFC 2428 section 4). */
  private static final Set<String> LOCKED_BY_EPSV_ALL = Arrays.stream(DataChannelKind.values())
      .filter(kind -> kind != DataChannelKind.EPSV)
      .map(DataChannelKind::verb)
      .collect(Collectors.toUnmodifiableSet());

  /** Read once: values() copies its array on every call, and this runs for every command. */
  private static final DataChannelKind[] KINDS = DataChannelKind.values();

  /** The FTPS commands: not implemented (502) on a server without TLS. */
  private static final Set<String> TLS_VERBS = Set.of("AUTH", "PBSZ", "PROT", "CCC");

  private final CommandTable table;

  public CommandDispatcher(CommandTable table) {
    this.table = table;
  }

  public CommandTable table() {
    return table;
  }

  public Flux<FtpReply> dispatch(FtpSession session, ControlInput input, ServerContext server) {
    return switch (input) {
      case OverlongLine o -> Flux.just(Replies.LINE_TOO_LONG);
      case FtpCommand command -> dispatch(session, command, server);
    };
  }

  private Flux<FtpReply> dispatch(FtpSession session, FtpCommand command, ServerContext server) {
    if (command.verb().isEmpty()) {
      return Flux.just(Replies.SYNTAX_ERROR);
    }
    var spec = table.find(command.verb());
    if (spec.isEmpty() || disabled(command.verb(), server)) {
      return Flux.just(Replies.NOT_IMPLEMENTED);
    }
    FtpReply refusal = check(spec.get(), session, command);
    if (refusal != null) {
      return Flux.just(refusal);
    }
    var ctx = new CommandContext(session, command, server);
    var interceptors = server.config().interceptors();
    if (!interceptors.isEmpty()) {
      return Interceptions.decide(ctx, interceptors).flatMapMany(decision -> switch (decision) {
        case FtpInterceptor.Decision.Allow allow -> handle(spec.get(), ctx);
        case FtpInterceptor.Decision.Deny deny -> Flux.just(deny.reply());
        case FtpInterceptor.Decision.Disconnect disconnect -> Flux.just(FtpReply.of(421, disconnect.text()));
      });
    }
    return handle(spec.get(), ctx);
  }

  private static Flux<FtpReply> handle(CommandSpec spec, CommandContext ctx) {
    Publisher<FtpReply> replies;
    try {
      replies = spec.handler().handle(ctx);
    } catch (RuntimeException e) {
      return Flux.just(Replies.fromError(e));
    }
    if (replies instanceof Fuseable.ScalarCallable<?>) {
      // a reply known already (Mono.just): nothing can fail later, nothing to wrap
      return Flux.from(replies);
    }
    return Flux.from(replies).onErrorResume(e -> Flux.just(Replies.fromError(e)));
  }

  private static @Nullable FtpReply check(CommandSpec spec, FtpSession session, FtpCommand command) {
    if (spec.login() == CommandSpec.Login.REQUIRED && !session.isLoggedIn()) {
      return Replies.NOT_LOGGED_IN;
    }
    switch (spec.argument()) {
      case NONE -> {
        if (command.hasArgument()) {
          return Replies.NO_ARGUMENT_ALLOWED;
        }
      }
      case REQUIRED -> {
        if (command.argument().isBlank()) {
          return Replies.ARGUMENT_REQUIRED;
        }
      }
      case OPTIONAL -> { }
    }
    if (spec.permission().isPresent() && !session.loggedIn().user().may(spec.permission().get())) {
      return Replies.PERMISSION_DENIED;
    }
    if (session.epsvAll() && LOCKED_BY_EPSV_ALL.contains(spec.verb())) {
      return Replies.EPSV_ALL_IN_EFFECT;
    }
    return null;
  }

  private static boolean disabled(String verb, ServerContext server) {
    if (TLS_VERBS.contains(verb)) {
      return server.tls().isEmpty();
    }
    for (var kind : KINDS) {
      if (kind.verb().equals(verb)) {
        return !server.config().get(ServerOptions.DATA_CHANNELS).contains(kind);
      }
    }
    return false;
  }
}
