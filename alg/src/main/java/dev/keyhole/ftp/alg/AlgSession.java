package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ControlLineDecoder;
import dev.keyhole.ftp.protocol.ReplyBlock;
import dev.keyhole.ftp.protocol.ReplyBlockDecoder;
import dev.keyhole.ftp.transport.DataChannelSetup;
import dev.keyhole.ftp.transport.DataConnection;
import dev.keyhole.ftp.transport.KeyholePipeline;
import dev.keyhole.ftp.transport.SpdtHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;

/**
 * One client's control connection through the ALG, and its upstream control connection. Both
 * run on the client connection's event loop, so the session's state needs no locks.
 *
 * <p>Commands are handled one after another: each is relayed as it arrived, rewritten, or
 * answered by the ALG itself, and every command relayed (a NOOP for one the ALG answers, RFC 6384
 * section 12) queues what to do with its reply, so replies reach the client in command order.
 * Setting up a data mapping binds a listener first, so commands and replies both go through
 * chains that wait for it.
 */
final class AlgSession {

  private static final Logger log = LoggerFactory.getLogger(AlgSession.class);
  static final String CLIENT_DECODER = KeyholePipeline.ALG_CLIENT_DECODER;
  static final String CLIENT_HANDLER = KeyholePipeline.ALG_CLIENT_HANDLER;
  static final String UPSTREAM_DECODER = KeyholePipeline.ALG_UPSTREAM_DECODER;
  static final String UPSTREAM_HANDLER = KeyholePipeline.ALG_UPSTREAM_HANDLER;

  /** What to do with the reply to one relayed command. */
  @FunctionalInterface
  private interface ReplyAction {
    /** The reply for the client, or empty to swallow it. */
    Mono<Optional<ReplyBlock>> apply(ReplyBlock reply);
  }

  private static final ReplyAction PASS = reply -> Mono.just(Optional.of(reply));

  /** Commands a client may send while a transfer runs (RFC 959 4.1.3): they go to the server at once. */
  private static final java.util.Set<String> URGENT = java.util.Set.of("ABOR", "STAT", "QUIT");

  /** How a data mapping's relay ended. */
  private enum RelayOutcome {
    /** Everything the sender sent reached the receiver. */
    COMPLETE,
    /** The second connection could not be made: nothing was relayed, the first was reset. */
    NO_CONNECTION,
    /** The relay failed midway; both connections were reset. */
    FAILED
  }

  private final AlgContext context;
  private final AlgListener listener;
  private final long id;
  private final Connection clientConnection;
  private final Channel client;
  private final Channel upstream;
  private final InetSocketAddress clientRemote;
  private final InetSocketAddress clientLocal;
  private final InetSocketAddress upstreamRemote;
  private final InetSocketAddress upstreamLocal;
  private final ArrayDeque<ReplyAction> pending = new ArrayDeque<>();
  private final ArrayDeque<ReplyBlock> replies = new ArrayDeque<>();
  private final ArrayDeque<ControlLine> commands = new ArrayDeque<>();
  /**
   * Set when a final reply left nothing pending: the next command waits for the event loop's next
   * task, so that reply lines that came in the same read as that reply (lines a server that does not
   * escape CR LF in file names let through) are unsolicited, never taken for the next command's.
   */
  private boolean settling;
  private final AtomicInteger relays = new AtomicInteger();
  private boolean working;
  private boolean translating = true;
  private boolean onlyLoginSoFar = true;
  private boolean epsvUnsupported;
  private boolean greeted;
  private boolean transferStarted;
  /** How the latest mapping's relay ended, once it has (empty where no mapping was made). */
  private Mono<RelayOutcome> relayDone = Mono.empty();
  /** The pending idle check: cancelled at close, or it would hold the closed session until it fired. */
  private io.netty.util.concurrent.@Nullable ScheduledFuture<?> idleTimer;
  /** Resets both connections of the relay that runs, if one does. */
  private @Nullable Runnable relayReset;
  private boolean closed;
  private long lastActivity = System.nanoTime();
  /** Closes the pending data mapping: a listener, an SPSV identifier, or an SPDT connection made for PORT. */
  private @Nullable Runnable mapping;

  AlgSession(AlgContext context, AlgListener listener, long id, Connection clientConnection, Channel upstream) {
    this.context = context;
    this.listener = listener;
    this.id = id;
    this.clientConnection = clientConnection;
    this.client = clientConnection.channel();
    this.upstream = upstream;
    this.clientRemote = (InetSocketAddress) client.remoteAddress();
    this.clientLocal = (InetSocketAddress) client.localAddress();
    this.upstreamRemote = (InetSocketAddress) upstream.remoteAddress();
    this.upstreamLocal = (InetSocketAddress) upstream.localAddress();
  }

  AlgMode mode() {
    return listener.mode();
  }

  private void translated(String kind) {
    context.config().metrics().translated(kind);
  }

  /** Installs the codecs on both connections and starts relaying. Call on the event loop. */
  void start() {
    client.pipeline().addFirst(CLIENT_HANDLER, new Side(true));
    client.pipeline().addFirst(CLIENT_DECODER, new ControlLineDecoder(context.config().maxLineLength(),
        listener.mode() == AlgMode.SPSV_GATEWAY));
    upstream.pipeline().addLast(UPSTREAM_DECODER, new ReplyBlockDecoder());
    upstream.pipeline().addLast(UPSTREAM_HANDLER, new Side(false));
    upstream.closeFuture().addListener(f -> close("the server closed the control connection"));
    client.closeFuture().addListener(f -> close("the client closed the control connection"));
    scheduleIdleCheck(context.config().idleTimeout().toNanos());
    upstream.config().setAutoRead(true);
    upstream.read();
  }

  /** Reads one side of the session: commands from the client or replies from the server. */
  private final class Side extends ChannelInboundHandlerAdapter {
    private final boolean fromClient;

    Side(boolean fromClient) {
      this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      lastActivity = System.nanoTime();
      if (msg instanceof ByteBuf raw) {
        // transparent mode (after AUTH): bytes go across as they are
        (fromClient ? upstream : client).writeAndFlush(raw);
        return;
      }
      enqueue(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // back-pressure between the two control connections
      (fromClient ? upstream : client).config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.info("ALG session {}: {} connection failed: {}", id, fromClient ? "client" : "server", cause.toString());
      close("error");
    }
  }

  /**
   * Commands and replies are handled one at a time; a mapping set-up pauses the rest. Replies are
   * handled as they come; a command goes to the server only once the previous one has its final
   * reply (or, for ABOR, STAT and QUIT, while a transfer runs), so that each reply is matched to
   * its command and a reply that matches none is recognised as unsolicited.
   */
  private void enqueue(Object message) {
    if (message instanceof ControlLine line) {
      commands.add(line);
    } else {
      replies.add((ReplyBlock) message);
    }
    drain();
  }

  private boolean mayForward(ControlLine line) {
    if (settling) {
      return false;
    }
    return pending.isEmpty() || (transferStarted && URGENT.contains(line.verb()));
  }

  private void drain() {
    while (!working && !closed) {
      Object next;
      if (!replies.isEmpty()) {
        next = replies.poll();
      } else if (!commands.isEmpty() && mayForward(commands.peek())) {
        next = commands.poll();
      } else {
        break;
      }
      Mono<Void> work = next instanceof ControlLine line ? command(line) : reply((ReplyBlock) next);
      working = true;
      boolean[] sync = {true};
      work.onErrorResume(e -> {
            log.warn("ALG session {}: {}", id, e.toString());
            close("error");
            return Mono.empty();
          })
          .doFinally(s -> {
            if (client.eventLoop().inEventLoop() && sync[0]) {
              working = false;
            } else {
              client.eventLoop().execute(() -> {
                working = false;
                drain();
              });
            }
          })
          .subscribe();
      sync[0] = false;
    }
  }

  // ---- commands ----

  private Mono<Void> command(ControlLine line) {
    String verb = line.verb();
    if (log.isDebugEnabled()) {
      log.debug("ALG session {} < {}", id, line);
    }
    if (verb.equals("SPDT") && listener.mode() == AlgMode.SPSV_GATEWAY && onlyLoginSoFar) {
      spdt(line.argument().trim());
      return Mono.empty();
    }
    if (verb.equals("SPDT") && listener.mode() == AlgMode.SPSV_GATEWAY) {
      var decoder = client.pipeline().context(CLIENT_DECODER);
      client.eventLoop().execute(() -> ((ControlLineDecoder) decoder.handler()).resume(decoder));
      return local(ReplyBlock.of(503, "SPDT must be the first command of a connection, or follow USER and PASS."));
    }
    if (!verb.equals("USER") && !verb.equals("PASS")) {
      onlyLoginSoFar = false;
    }
    if ((verb.equals("SPSV") || verb.equals("SPDT"))
        && (listener.mode() == AlgMode.NAT46 || listener.mode() == AlgMode.NAT64)) {
      // not translated here: relayed untouched, an SPDT connection to this port would be taken
      // for a control session and its data for commands
      translated("refused");
      return local(ReplyBlock.of(502, "SPSV is not offered through this gateway."));
    }
    if (verb.equals("AUTH")) {
      return forward(line, this::authReply);
    }
    return switch (listener.mode()) {
      case NAT64 -> nat64(line, verb);
      case NAT46 -> nat46(line, verb);
      case SPSV_GATEWAY -> gateway(line, verb);
      case SPSV_ADAPTER -> adapter(line, verb);
    };
  }

  /** RFC 6384: IPv6 clients, IPv4 server. */
  private Mono<Void> nat64(ControlLine line, String verb) {
    if (verb.equals("ALGS")) {
      translated("algs");
      return local(algs(line.argument().trim().toUpperCase(Locale.ROOT)));
    }
    if (verb.equals("FEAT")) {
      return forward(line, reply -> Mono.just(Optional.of(withoutFeatures(reply, "SPSV"))));
    }
    if (verb.equals("PORT") || (verb.equals("EPRT") && !translating)) {
      // untranslated, the address would reach the server as it is: only the client's own (RFC 2577)
      return passActive(line, verb.equals("PORT") ? 0 : -1);
    }
    if (!translating) {
      return forward(line, PASS);
    }
    if (verb.equals("EPSV")) {
      String arg = line.argument().trim().toUpperCase(Locale.ROOT);
      if (arg.equals("ALL")) {
        return local(ReplyBlock.of(504, "Command not implemented for that parameter."));
      }
      if (!arg.isEmpty() && !arg.equals("2")) {
        return local(ReplyBlock.of(522, "Network protocol not supported, use (2)"));
      }
      translated("epsv-to-pasv");
      return forward(ControlLine.of("PASV"), reply -> passiveMapping(reply, AlgSession::epsvReply));
    }
    if (verb.equals("EPRT")) {
      translated("eprt-to-port");
      return activeMapping(line.argument(), 2, port -> "PORT " + AddressFormats.formatHostPort(v4(upstreamLocal), port));
    }
    return forward(line, PASS);
  }

  /** draft-tsou-behave-ftp46-00: IPv4 clients, IPv6 server. */
  private Mono<Void> nat46(ControlLine line, String verb) {
    return switch (verb) {
      case "PASV" -> forwardTranslated("pasv-to-epsv", ControlLine.of("EPSV 2"), reply -> passiveMapping(reply,
          port -> ReplyBlock.of(227, "Entering Passive Mode (" + AddressFormats.formatHostPort(v4(clientLocal), port) + ")")));
      case "EPSV" -> {
        String arg = line.argument().trim().toUpperCase(Locale.ROOT);
        yield arg.isEmpty() || arg.equals("1") || arg.equals("2")
            ? forwardTranslated("epsv-to-epsv", ControlLine.of("EPSV 2"), reply -> passiveMapping(reply, AlgSession::epsvReply))
            : forward(line, PASS);
      }
      case "PORT" -> activeMappingTranslated("port-to-eprt", line.argument(), 0,
          port -> "EPRT " + AddressFormats.formatEprt(new InetSocketAddress(upstreamLocal.getAddress(), port)));
      case "EPRT" -> activeMappingTranslated("eprt-to-eprt", line.argument(), 1,
          port -> "EPRT " + AddressFormats.formatEprt(new InetSocketAddress(upstreamLocal.getAddress(), port)));
      case "FEAT" -> forward(line, reply -> Mono.just(Optional.of(withoutFeatures(reply, "SPSV"))));
      default -> forward(line, PASS);
    };
  }

  /**
   * PORT or EPRT relayed as it is: only when it names the client's own address and a port from
   * 1024 (RFC 2577), as the server would check were the client its direct peer; its peer is the
   * ALG, so an address let through here would make the server connect anywhere the ALG can reach.
   *
   * @param family 0 for PORT, -1 for EPRT of either family
   */
  private Mono<Void> passActive(ControlLine line, int family) {
    return activeAddress(line.argument(), family).isEmpty()
        ? local(ReplyBlock.of(500, "Illegal " + line.verb() + " command: only your own address and ports from 1024."))
        : forward(line, PASS);
  }

  /**
   * Single-port gateway: SPSV for the client, EPSV (or PASV) toward the server. The client's own
   * PASV, EPSV, PORT and EPRT are relayed through the gateway's ports too, as the nat modes do:
   * the server's ports are not reachable where one port is forwarded to the gateway.
   */
  private Mono<Void> gateway(ControlLine line, String verb) {
    boolean v4 = clientLocal.getAddress() instanceof Inet4Address;
    return switch (verb) {
      case "SPSV" -> forwardTranslated("spsv", ControlLine.of(epsvUnsupported ? "PASV" : "EPSV"), this::spsvReply);
      case "FEAT" -> forward(line, reply -> Mono.just(Optional.of(withFeatures(reply, " SPSV"))));
      case "PASV" -> v4
          ? forwardTranslated("pasv-relayed", ControlLine.of("PASV"), reply -> passiveMapping(reply,
              port -> ReplyBlock.of(227, "Entering Passive Mode (" + AddressFormats.formatHostPort(v4(clientLocal), port) + ")")))
          : local(ReplyBlock.of(500, "PASV is for IPv4; use EPSV."));
      case "EPSV" -> {
        String arg = line.argument().trim().toUpperCase(Locale.ROOT);
        if (arg.equals("ALL")) {
          yield local(ReplyBlock.of(504, "Command not implemented for that parameter."));
        }
        yield arg.isEmpty() || arg.equals(v4 ? "1" : "2")
            ? forwardTranslated("epsv-relayed", ControlLine.of(epsvUnsupported ? "PASV" : "EPSV"),
                reply -> passiveMapping(reply, AlgSession::epsvReply))
            : local(ReplyBlock.of(522, "Network protocol not supported, use (" + (v4 ? 1 : 2) + ")"));
      }
      case "PORT" -> activeMappingTranslated("port-relayed", line.argument(), 0, this::activeCommandToServer);
      case "EPRT" -> activeMappingTranslated("eprt-relayed", line.argument(), v4 ? 1 : 2, this::activeCommandToServer);
      default -> forward(line, PASS);
    };
  }

  /** The PORT (IPv4 server) or EPRT (IPv6 server) naming the ALG's listener toward the server. */
  private String activeCommandToServer(int port) {
    return upstreamLocal.getAddress() instanceof Inet4Address a
        ? "PORT " + AddressFormats.formatHostPort(a, port)
        : "EPRT " + AddressFormats.formatEprt(new InetSocketAddress(upstreamLocal.getAddress(), port));
  }

  /**
   * Single-port adapter: the client's PASV, EPSV, PORT and EPRT become SPSV toward a single-port
   * server; the ALG opens the SPDT connection and relays it to the client's data connection.
   */
  private Mono<Void> adapter(ControlLine line, String verb) {
    boolean v4 = clientLocal.getAddress() instanceof Inet4Address;
    return switch (verb) {
      case "PASV" -> v4
          ? forwardTranslated("pasv-to-spsv", ControlLine.of("SPSV"), reply -> adapterPassive(reply,
              port -> ReplyBlock.of(227, "Entering Passive Mode (" + AddressFormats.formatHostPort(v4(clientLocal), port) + ")")))
          : local(ReplyBlock.of(500, "PASV is for IPv4; use EPSV."));
      case "EPSV" -> {
        String arg = line.argument().trim().toUpperCase(Locale.ROOT);
        if (arg.equals("ALL")) {
          yield local(ReplyBlock.of(200, "EPSV ALL command successful."));
        }
        yield arg.isEmpty() || arg.equals(v4 ? "1" : "2")
            ? forwardTranslated("epsv-to-spsv", ControlLine.of("SPSV"), reply -> adapterPassive(reply, AlgSession::epsvReply))
            : local(ReplyBlock.of(522, "Network protocol not supported, use (" + (v4 ? 1 : 2) + ")"));
      }
      case "PORT" -> adapterActive(line.argument(), 0);
      case "EPRT" -> adapterActive(line.argument(), v4 ? 1 : 2);
      case "FEAT" -> forward(line, reply -> Mono.just(Optional.of(withFeatures(reply, " EPSV", " EPRT"))));
      default -> forward(line, PASS);
    };
  }

  /** The identifier of a single-port server's SPSV reply, or empty. */
  private static Optional<String> spsvIdentifier(ReplyBlock reply) {
    String text = reply.text();
    int open = text.lastIndexOf('(');
    int close = text.lastIndexOf(')');
    if (reply.code() != 227 || open < 0 || close < open + 2) {
      return Optional.empty();
    }
    String id = text.substring(open + 1, close);
    return id.chars().allMatch(c -> c > 32 && c < 127) ? Optional.of(id) : Optional.empty();
  }

  /** A data connection to the single-port server for this identifier: greeting, SPDT, 200 DATA. */
  private Mono<DataConnection> spdtToUpstream(String identifier, EventLoop loop) {
    var handshake = Sinks.<Void>empty();
    return context.dataChannels().active(upstreamRemote, upstreamLocal.getAddress())
        .connectionOn(loop, channel -> channel.pipeline().addFirst(SpdtHandshake.NAME, new SpdtHandshake(identifier, handshake)))
        .flatMap(data -> handshake.asMono().timeout(context.config().mappingTimeout()).thenReturn(data)
            .doOnError(e -> data.dispose()));
  }

  private Mono<Optional<ReplyBlock>> adapterPassive(ReplyBlock reply, Function<Integer, ReplyBlock> toClient) {
    if (reply.code() != 227) {
      return Mono.just(Optional.of(reply));
    }
    var identifier = spsvIdentifier(reply);
    if (identifier.isEmpty()) {
      context.config().metrics().mappingFailed("unreadable-reply");
      return Mono.just(Optional.of(cantOpen()));
    }
    return listenForClient(loop -> spdtToUpstream(identifier.get(), loop), toClient);
  }

  /**
   * PORT or EPRT toward a single-port server: SPSV upstream; the ALG then holds both ends, the SPDT
   * connection and its own connection to the client's address, and relays.
   */
  private Mono<Void> adapterActive(String argument, int family) {
    var address = activeAddress(argument, family);
    if (address.isEmpty()) {
      return local(ReplyBlock.of(500, "Illegal " + (family == 0 ? "PORT" : "EPRT")
          + " command: only your own address and ports from 1024."));
    }
    translated(family == 0 ? "port-to-spsv" : "eprt-to-spsv");
    return forward(ControlLine.of("SPSV"), reply -> {
      if (reply.code() != 227) {
        return Mono.just(Optional.of(reply));
      }
      var identifier = spsvIdentifier(reply);
      if (identifier.isEmpty()) {
        context.config().metrics().mappingFailed("unreadable-reply");
        return Mono.just(Optional.of(cantOpen()));
      }
      var upstreamSide = spdtToUpstream(identifier.get(), client.eventLoop()).cache();
      replaceMapping(() -> upstreamSide.subscribe(DataConnection::dispose, e -> { }));
      relayWhenConnected(upstreamSide, loop -> connectOn(loop, address.get(), clientLocal));
      return Mono.just(Optional.of(ReplyBlock.of(200, (family == 0 ? "PORT" : "EPRT") + " command successful.")));
    });
  }

  private ReplyBlock algs(String argument) {
    return switch (argument) {
      case "STATUS64" -> algsStatus();
      case "ENABLE64" -> {
        translating = true;
        yield algsStatus();
      }
      case "DISABLE64" -> {
        translating = false;
        yield algsStatus();
      }
      default -> ReplyBlock.of(504, "ALGS takes STATUS64, ENABLE64 or DISABLE64.");
    };
  }

  private ReplyBlock algsStatus() {
    return translating
        ? ReplyBlock.of(216, "EPSVEPRT EPSV is translated to PASV and EPRT to PORT.")
        : ReplyBlock.of(216, "NONE No translation.");
  }

  private Mono<Void> forwardTranslated(String kind, ControlLine line, ReplyAction action) {
    translated(kind);
    return forward(line, action);
  }

  private Mono<Void> activeMappingTranslated(String kind, String argument, int family, Function<Integer, String> command) {
    translated(kind);
    return activeMapping(argument, family, command);
  }

  /** Relays a command and queues what to do with its reply. */
  private Mono<Void> forward(ControlLine line, ReplyAction action) {
    pending.add(action);
    upstream.writeAndFlush(Unpooled.wrappedBuffer(line.raw()));
    return Mono.empty();
  }

  /**
   * Answers a command without relaying it: a NOOP goes to the server instead, and its 200 reply is
   * replaced by this one (RFC 6384 section 12), so that replies keep their order.
   */
  private Mono<Void> local(ReplyBlock reply) {
    return forward(ControlLine.of("NOOP"), noop -> {
      if (noop.code() >= 400 && noop.code() != 530) {
        log.warn("ALG session {}: the server answered NOOP with {}", id, noop);
        close("NOOP refused");
        return Mono.just(Optional.empty());
      }
      return Mono.just(Optional.of(reply));
    });
  }

  // ---- replies ----

  private Mono<Void> reply(ReplyBlock reply) {
    if (log.isDebugEnabled()) {
      log.debug("ALG session {} > {}", id, reply);
    }
    if (!greeted) {
      // the greeting (after a 120 "ready in n minutes" if any) passes as it is, before any reply
      greeted = reply.code() != 120;
      return toClient(reply);
    }
    if (reply.isPreliminary()) {
      if (pending.isEmpty()) {
        log.info("ALG session {}: dropped a reply that answers no command: {}", id, reply);
        return Mono.empty();
      }
      // 150: a transfer runs; its final reply waits for the relay (below)
      transferStarted = true;
      return toClient(reply);
    }
    if (transferStarted && reply.code() >= 400) {
      transferStarted = false;
      // the transfer failed: the client needs no more of its data, and a relay whose reading is
      // paused behind a client that waits for this reply would not even see the server's reset
      if (relayReset != null) {
        relayReset.run();
      }
      return finalReply(reply);
    }
    if (transferStarted) {
      transferStarted = false;
      // the server's 226 comes once it has sent its last byte to the ALG, which may still be
      // relaying: the client must not read the reply before the data (curl in active mode fails);
      // and where the relay failed, the server's success is not the client's
      return relayDone.timeout(context.config().mappingTimeout())
          .onErrorResume(e -> Mono.empty())
          .map(outcome -> afterRelay(reply, outcome))
          .defaultIfEmpty(reply)
          .flatMap(this::finalReply);
    }
    return finalReply(reply);
  }

  /** The final reply of a transfer whose relay ended so: a success the client did not get becomes 425 or 426. */
  private ReplyBlock afterRelay(ReplyBlock reply, RelayOutcome outcome) {
    if (reply.code() >= 300 || outcome == RelayOutcome.COMPLETE) {
      return reply;
    }
    log.info("ALG session {}: the server answered {} but the data relay {}", id, reply.code(),
        outcome == RelayOutcome.NO_CONNECTION ? "never connected" : "failed");
    return outcome == RelayOutcome.NO_CONNECTION ? cantOpen() : ReplyBlock.of(426, "Connection closed; transfer aborted.");
  }

  private Mono<Void> finalReply(ReplyBlock reply) {
    ReplyAction action = pending.poll();
    if (action == null) {
      if (reply.code() == 421) {
        return toClient(reply); // the server is closing: the client hears why
      }
      log.info("ALG session {}: dropped a reply that answers no command: {}", id, reply);
      context.config().metrics().mappingFailed("unsolicited-reply");
      return Mono.empty();
    }
    if (pending.isEmpty()) {
      settle();
    }
    return action.apply(reply).flatMap(out -> out.map(this::toClient).orElse(Mono.empty()));
  }

  /** Holds the next command until the event loop's next task: see {@link #settling}. */
  private void settle() {
    settling = true;
    client.eventLoop().execute(() -> {
      settling = false;
      drain();
    });
  }

  private Mono<Void> toClient(ReplyBlock reply) {
    client.writeAndFlush(Unpooled.wrappedBuffer(reply.raw()));
    return Mono.empty();
  }

  /** AUTH accepted: from now on the two connections are copied byte for byte (RFC 6384 section 4). */
  private Mono<Optional<ReplyBlock>> authReply(ReplyBlock reply) {
    if (reply.code() >= 200 && reply.code() < 400) {
      translated("auth-transparent");
      log.info("ALG session {}: AUTH accepted, the session is copied byte for byte from now on", id);
      client.eventLoop().execute(() -> {
        client.pipeline().remove(CLIENT_DECODER);
        upstream.pipeline().remove(UPSTREAM_DECODER);
      });
    }
    return Mono.just(Optional.of(reply));
  }

  private static ReplyBlock epsvReply(int port) {
    return ReplyBlock.of(229, AddressFormats.formatEpsvReply(port));
  }

  /** A FEAT reply with these feature lines added where missing. */
  private static ReplyBlock withFeatures(ReplyBlock reply, String... features) {
    if (reply.code() != 211 || reply.lines().size() < 2) {
      return reply;
    }
    var lines = new ArrayList<>(reply.lines());
    for (String feature : features) {
      if (lines.stream().noneMatch(l -> l.trim().equalsIgnoreCase(feature.trim()))) {
        lines.add(lines.size() - 1, feature);
      }
    }
    return ReplyBlock.ofLines(211, lines);
  }

  /** A FEAT reply without these features' lines. */
  private static ReplyBlock withoutFeatures(ReplyBlock reply, String... features) {
    if (reply.code() != 211 || reply.lines().size() < 2) {
      return reply;
    }
    var lines = new ArrayList<>(reply.lines());
    for (String feature : features) {
      lines.removeIf(l -> l.trim().toUpperCase(Locale.ROOT).equals(feature) || l.trim().toUpperCase(Locale.ROOT).startsWith(feature + " "));
    }
    return ReplyBlock.ofLines(211, lines);
  }

  // ---- data mappings ----

  /**
   * Where the server waits for the data connection, from its 227 or 229 reply: its own address
   * (whatever a 227 names) and the port; empty when the reply cannot be read.
   */
  private Optional<InetSocketAddress> passiveTarget(ReplyBlock reply) {
    var port = PassiveReply.port(reply, upstreamRemote.getAddress(), context.config().strictPasvAddress())
        // no server listens for data below 1024: such a "reply" came from a file name, not the server
        .filter(p -> p >= 1024);
    if (port.isEmpty()) {
      log.info("ALG session {}: unusable passive reply from the server: {}", id, reply);
      context.config().metrics().mappingFailed("unreadable-reply");
    }
    return port.map(p -> new InetSocketAddress(upstreamRemote.getAddress(), p));
  }

  /**
   * A passive reply from the server: the ALG listens on the address the client reached it at (so
   * all of a session's mappings share its control connection's address, as the draft requires),
   * accepts one connection from the client, connects on to the server's port and relays.
   */
  private Mono<Optional<ReplyBlock>> passiveMapping(ReplyBlock reply, Function<Integer, ReplyBlock> toClient) {
    if (reply.code() != 227 && reply.code() != 229) {
      return Mono.just(Optional.of(reply));
    }
    var target = passiveTarget(reply);
    if (target.isEmpty()) {
      return Mono.just(Optional.of(cantOpen()));
    }
    return listenForClient(loop -> connectOn(loop, target.get(), upstreamLocal), toClient);
  }

  /**
   * A passive mapping toward the client: a listener on the address the client reached the ALG at
   * that takes one connection from the client and relays it to what {@code upstreamSide} connects;
   * the client's reply names the listener's port, or is 425 when no port could be had.
   */
  private Mono<Optional<ReplyBlock>> listenForClient(Function<EventLoop, Mono<DataConnection>> upstreamSide,
      Function<Integer, ReplyBlock> toClient) {
    return context.dataChannels().openPassive(clientLocal.getAddress(), clientRemote.getAddress(), client.eventLoop())
        .map(listener -> {
          replaceMapping(listener);
          relayWhenConnected(listener.connection(), upstreamSide);
          return Optional.of(toClient.apply(listener.port()));
        })
        .onErrorResume(e -> {
          log.info("ALG session {}: no mapping: {}", id, e.toString());
          context.config().metrics().mappingFailed("no-port");
          return Mono.just(Optional.of(cantOpen()));
        });
  }

  /**
   * PORT or EPRT from the client: only to the client's own address and a port from 1024 (RFC
   * 2577). The ALG listens on its address toward the server, relays the rewritten command, and
   * once the server has connected, connects on to the client and relays.
   *
   * @param family 0 for PORT, 1 or 2 for the EPRT family expected
   */
  private Mono<Void> activeMapping(String argument, int family, Function<Integer, String> command) {
    var target = activeAddress(argument, family);
    if (target.isEmpty()) {
      return local(ReplyBlock.of(500, "Illegal " + (family == 0 ? "PORT" : "EPRT")
          + " command: only your own address and ports from 1024."));
    }
    var address = target.get();
    return context.dataChannels().openPassive(upstreamLocal.getAddress(), upstreamRemote.getAddress(), client.eventLoop())
        .flatMap(listener -> {
          replaceMapping(listener);
          relayWhenConnected(listener.connection(), loop -> connectOn(loop, address, clientLocal));
          return forward(ControlLine.of(command.apply(listener.port())), PASS);
        })
        .onErrorResume(e -> {
          log.info("ALG session {}: no mapping: {}", id, e.toString());
          context.config().metrics().mappingFailed("no-port");
          return local(cantOpen());
        });
  }

  /**
   * The address of a PORT or EPRT argument, if it is well-formed, of the expected family (1 or 2;
   * -1 for either), the client's own and a port from 1024 (RFC 2577); empty otherwise, logged.
   */
  private Optional<InetSocketAddress> activeAddress(String argument, int family) {
    Optional<InetSocketAddress> target = family == 0
        ? AddressFormats.parseHostPort(argument)
        : switch (AddressFormats.parseEprt(argument)) {
          case AddressFormats.EprtArgument.Address a -> Optional.of(a.address());
          default -> Optional.empty();
        };
    if (target.isEmpty() || (family > 0 && (family == 2) != (target.get().getAddress() instanceof Inet6Address))
        || !target.get().getAddress().equals(clientRemote.getAddress()) || target.get().getPort() < 1024) {
      log.warn("ALG session {}: refused active data address '{}' of client {}", id, argument, clientRemote);
      translated("refused");
      return Optional.empty();
    }
    return target;
  }

  private Mono<Optional<ReplyBlock>> spsvReply(ReplyBlock reply) {
    if (reply.code() >= 500 && !epsvUnsupported) {
      // the server has no EPSV: PASV from now on, and now
      epsvUnsupported = true;
      pending.addFirst(this::spsvReply);
      upstream.writeAndFlush(Unpooled.wrappedBuffer(ControlLine.of("PASV").raw()));
      return Mono.just(Optional.empty());
    }
    if (reply.code() != 227 && reply.code() != 229) {
      return Mono.just(Optional.of(reply));
    }
    // each identifier leads to the one upstream port obtained for it, never anywhere else
    var target = passiveTarget(reply);
    if (target.isEmpty()) {
      return Mono.just(Optional.of(cantOpen()));
    }
    var binding = context.spdt().issue(id, clientRemote.getAddress(), false);
    if (binding.isEmpty()) {
      return Mono.just(Optional.of(ReplyBlock.of(425, "Too many pending SPSV data connections, try again later.")));
    }
    replaceMapping(binding.get());
    relayWhenConnected(binding.get().connection(), loop -> connectOn(loop, target.get(), upstreamLocal));
    return Mono.just(Optional.of(ReplyBlock.of(227, "Entering Single Port Passive Mode (" + binding.get().identifier() + ")")));
  }

  /** SPDT: this connection is a data connection of another session (draft-rosenau section 3.2). */
  private void spdt(String identifier) {
    // closed first: closing the upstream connection must not close this one
    closed = true;
    context.released(this);
    upstream.writeAndFlush(Unpooled.wrappedBuffer(ControlLine.of("QUIT").raw())).addListener(ChannelFutureListener.CLOSE);
    SpdtBinder.bind(context, clientConnection, identifier, CLIENT_HANDLER);
  }

  /**
   * Once the first side's connection has arrived, the second is connected on the same event loop
   * (so that the relay can splice between them) and the two are relayed.
   */
  private void relayWhenConnected(Mono<DataConnection> first, Function<EventLoop, Mono<DataConnection>> second) {
    var done = Sinks.<RelayOutcome>one();
    relayDone = done.asMono();
    var outcome = new java.util.concurrent.atomic.AtomicReference<RelayOutcome>();
    first.flatMap(a -> second.apply(a.channel().eventLoop())
            // reset, not closed: a server that took a clean end for the end of an upload would
            // replace the file with nothing and answer 226
            .doOnError(e -> {
              outcome.set(RelayOutcome.NO_CONNECTION);
              a.abort();
            })
            .flatMap(b -> {
              relays.incrementAndGet();
              Runnable reset = () -> {
                a.abort();
                b.abort();
              };
              relayReset = reset;
              return DataRelay.relay(a, b, context.config().idleTimeout(), context.config().splice())
                  .doFinally(s -> {
                    relays.decrementAndGet();
                    onClientLoop(() -> {
                      if (relayReset == reset) {
                        relayReset = null;
                      }
                    });
                  });
            }))
        .doFinally(s -> {
          if (outcome.get() != null) {
            done.tryEmitValue(outcome.get());
          } else {
            done.tryEmitEmpty();
          }
        })
        .subscribe(relayed -> {
              outcome.set(relayed.complete() ? RelayOutcome.COMPLETE : RelayOutcome.FAILED);
              log.debug("ALG session {}: relayed {} bytes ({})", id, relayed.bytes(), relayed.method());
              context.config().metrics().relayed(relayed.bytes(), relayed.method());
            },
            e -> {
              log.info("ALG session {}: data mapping ended: {}", id, e.toString());
              context.config().metrics().mappingFailed("no-connection");
            });
  }

  /** A data connection from {@code local}'s address to {@code target}, on the given loop. */
  private Mono<DataConnection> connectOn(EventLoop loop, InetSocketAddress target, InetSocketAddress local) {
    return context.dataChannels().active(target, local.getAddress()).connectionOn(loop, channel -> { });
  }

  private void replaceMapping(DataChannelSetup next) {
    replaceMapping(next::close);
  }

  private void replaceMapping(Runnable closer) {
    var previous = mapping;
    mapping = closer;
    if (previous != null) {
      previous.run();
    }
  }

  private static ReplyBlock cantOpen() {
    return ReplyBlock.of(425, "Can't open data connection.");
  }

  private static Inet4Address v4(InetSocketAddress address) {
    if (address.getAddress() instanceof Inet4Address v4) {
      return v4;
    }
    throw new IllegalStateException("not an IPv4 address: " + address);
  }

  // ---- life ----

  private void scheduleIdleCheck(long delayNanos) {
    idleTimer = client.eventLoop().schedule(this::idleCheck, Math.max(1, delayNanos / 1_000_000), TimeUnit.MILLISECONDS);
  }

  private void idleCheck() {
    if (closed) {
      return;
    }
    long timeout = context.config().idleTimeout().toNanos();
    if (relays.get() > 0 || !pending.isEmpty() || working) {
      // a running data relay keeps the control connection open (RFC 6384 section 12), and so does
      // a command whose reply the client still waits for (a transfer waiting for its connection)
      lastActivity = System.nanoTime();
    }
    long idle = System.nanoTime() - lastActivity;
    if (idle >= timeout) {
      log.info("ALG session {} from {}: idle timeout", id, clientRemote);
      client.writeAndFlush(Unpooled.wrappedBuffer("421 Timeout.\r\n".getBytes(StandardCharsets.US_ASCII)))
          .addListener(ChannelFutureListener.CLOSE);
      close("idle");
    } else {
      scheduleIdleCheck(timeout - idle);
    }
  }

  void close(String why) {
    if (!client.eventLoop().inEventLoop()) {
      client.eventLoop().execute(() -> close(why));
      return;
    }
    if (closed) {
      return;
    }
    closed = true;
    if (idleTimer != null) {
      idleTimer.cancel(false);
    }
    log.debug("ALG session {} closing: {}", id, why);
    if (mapping != null) {
      mapping.run();
    }
    replies.clear();
    commands.clear();
    upstream.close();
    client.close();
    context.released(this);
  }

  /** Runs {@code task} on the client connection's event loop, unless the loops are already shut down. */
  private void onClientLoop(Runnable task) {
    try {
      client.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("ALG session {}: event loop gone, {} not run", id, task);
    }
  }
}
