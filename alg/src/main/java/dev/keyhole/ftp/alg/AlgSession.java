package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ControlLineDecoder;
import dev.keyhole.ftp.protocol.ReplyBlock;
import dev.keyhole.ftp.protocol.ReplyBlockDecoder;
import dev.keyhole.ftp.transport.KeyholePipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * One client's control connection through the ALG, and its upstream control connection: the
 * ordering of commands and replies and the session's life. Both connections run on the client
 * connection's event loop, so the session's state needs no locks.
 *
 * <p>Commands are handled one after another by the mode's {@link Translator}: each is relayed as
 * it arrived, rewritten, or answered by the ALG itself, and every command relayed (a NOOP for one
 * the ALG answers, RFC 6384 section 12) queues what to do with its reply, so replies reach the
 * client in command order. Data mappings are {@link DataMappings}'; a transfer's final reply waits
 * for its relay's outcome. AUTH (transparent from then on) and SPDT (the connection becomes a data
 * connection) are the session's own.
 */
final class AlgSession implements ControlRelay {

  private static final Logger log = LoggerFactory.getLogger(AlgSession.class);
  static final String CLIENT_DECODER = KeyholePipeline.ALG_CLIENT_DECODER;
  static final String CLIENT_HANDLER = KeyholePipeline.ALG_CLIENT_HANDLER;
  static final String UPSTREAM_DECODER = KeyholePipeline.ALG_UPSTREAM_DECODER;
  static final String UPSTREAM_HANDLER = KeyholePipeline.ALG_UPSTREAM_HANDLER;

  /** Commands a client may send while a transfer runs (RFC 959 4.1.3): they go to the server at once. */
  private static final Set<String> URGENT = Set.of("ABOR", "STAT", "QUIT");

  private final AlgContext context;
  private final AlgListener listener;
  private final long id;
  private final Connection clientConnection;
  private final Channel client;
  private final Channel upstream;
  private final Endpoints endpoints;
  private final DataMappings mappings;
  private final Translator translator;
  private final ArrayDeque<ReplyAction> pending = new ArrayDeque<>();
  private final ArrayDeque<ReplyBlock> replies = new ArrayDeque<>();
  private final ArrayDeque<ControlLine> commands = new ArrayDeque<>();
  /**
   * Set when a final reply left nothing pending: the next command waits for the event loop's next
   * task, so that reply lines that came in the same read as that reply (lines a server that does not
   * escape CR LF in file names let through) are unsolicited, never taken for the next command's.
   */
  private boolean settling;
  private boolean working;
  private boolean onlyLoginSoFar = true;
  private boolean greeted;
  private boolean transferStarted;
  /** The pending idle check: cancelled at close, or it would hold the closed session until it fired. */
  private io.netty.util.concurrent.@Nullable ScheduledFuture<?> idleTimer;
  private boolean closed;
  private long lastActivity = System.nanoTime();

  AlgSession(AlgContext context, AlgListener listener, long id, Connection clientConnection, Channel upstream) {
    this.context = context;
    this.listener = listener;
    this.id = id;
    this.clientConnection = clientConnection;
    this.client = clientConnection.channel();
    this.upstream = upstream;
    this.endpoints = new Endpoints((InetSocketAddress) client.remoteAddress(), (InetSocketAddress) client.localAddress(),
        (InetSocketAddress) upstream.remoteAddress(), (InetSocketAddress) upstream.localAddress());
    this.mappings = new DataMappings(context, id, endpoints, client.eventLoop());
    this.translator = Translator.of(listener.mode(), this, mappings);
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public Endpoints endpoints() {
    return endpoints;
  }

  AlgMode mode() {
    return listener.mode();
  }

  @Override
  public void translated(String kind) {
    context.config().metrics().translated(kind);
  }

  /** Installs the codecs on both connections and starts relaying. Call on the event loop. */
  void start() {
    client.pipeline().addFirst(CLIENT_HANDLER, new Side(true));
    client.pipeline().addFirst(CLIENT_DECODER, new ControlLineDecoder(context.config().get(AlgOptions.MAX_LINE_LENGTH),
        listener.mode() == AlgMode.SPSV_GATEWAY));
    upstream.pipeline().addLast(UPSTREAM_DECODER, new ReplyBlockDecoder());
    upstream.pipeline().addLast(UPSTREAM_HANDLER, new Side(false));
    upstream.closeFuture().addListener(f -> close("the server closed the control connection"));
    client.closeFuture().addListener(f -> close("the client closed the control connection"));
    scheduleIdleCheck(context.config().get(AlgOptions.IDLE_TIMEOUT).toNanos());
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
    if (!verb.equals("USER") && !verb.equals("PASS") && !verb.equals("HOST")) {
      onlyLoginSoFar = false;
    }
    if (verb.equals("AUTH")) {
      return forward(line, this::authReply);
    }
    if (verb.equals("HOST")) {
      return forward(hostToServer(line), ReplyAction.PASS);
    }
    return translator.command(line, verb);
  }

  /**
   * HOST (RFC 7151) goes to the server in every mode; a host name as it is, but an address literal
   * that names this ALG (the address the client connected to) becomes the server's own address,
   * which the server compares with where it was reached (a literal of another address stays, for
   * the server to refuse).
   */
  private ControlLine hostToServer(ControlLine line) {
    String name = line.argument().trim();
    boolean bracketed = name.startsWith("[") && name.endsWith("]");
    String literal = bracketed ? name.substring(1, name.length() - 1) : name;
    var address = AddressFormats.literal(literal, bracketed);
    if (address.isEmpty() || !address.get().equals(endpoints.clientLocal().getAddress())) {
      return line;
    }
    var server = endpoints.upstreamRemote().getAddress();
    String text = AddressFormats.toText(server);
    translated("host-literal");
    return ControlLine.of("HOST " + (server instanceof java.net.Inet6Address ? "[" + text + "]" : text));
  }

  @Override
  public Mono<Void> forward(ControlLine line, ReplyAction action) {
    pending.add(action);
    upstream.writeAndFlush(Unpooled.wrappedBuffer(line.raw()));
    return Mono.empty();
  }

  @Override
  public Mono<Void> local(ReplyBlock reply) {
    return forward(ControlLine.of("NOOP"), noop -> {
      if (noop.code() >= 400 && noop.code() != 530) {
        log.warn("ALG session {}: the server answered NOOP with {}", id, noop);
        close("NOOP refused");
        return Mono.just(Optional.empty());
      }
      return Mono.just(Optional.of(reply));
    });
  }

  @Override
  public void retry(ControlLine line, ReplyAction action) {
    pending.addFirst(action);
    upstream.writeAndFlush(Unpooled.wrappedBuffer(line.raw()));
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
      mappings.resetRelay();
      return finalReply(reply);
    }
    if (transferStarted) {
      transferStarted = false;
      // the server's 226 comes once it has sent its last byte to the ALG, which may still be
      // relaying: the client must not read the reply before the data (curl in active mode fails);
      // and where the relay failed, the server's success is not the client's
      return mappings.relayDone().timeout(context.config().get(AlgOptions.MAPPING_TIMEOUT))
          .onErrorResume(e -> Mono.empty())
          .map(outcome -> afterRelay(reply, outcome))
          .defaultIfEmpty(reply)
          .flatMap(this::finalReply);
    }
    return finalReply(reply);
  }

  /** The final reply of a transfer whose relay ended so: a success the client did not get becomes 425 or 426. */
  private ReplyBlock afterRelay(ReplyBlock reply, DataMappings.RelayOutcome outcome) {
    if (reply.code() >= 300 || outcome == DataMappings.RelayOutcome.COMPLETE) {
      return reply;
    }
    log.info("ALG session {}: the server answered {} but the data relay {}", id, reply.code(),
        outcome == DataMappings.RelayOutcome.NO_CONNECTION ? "never connected" : "failed");
    return outcome == DataMappings.RelayOutcome.NO_CONNECTION ? AlgReplies.cantOpen() : ReplyBlock.of(426, "Connection closed; transfer aborted.");
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

  /** SPDT: this connection is a data connection of another session (draft-rosenau section 3.2). */
  private void spdt(String identifier) {
    // closed first: closing the upstream connection must not close this one
    closed = true;
    context.released(this);
    upstream.writeAndFlush(Unpooled.wrappedBuffer(ControlLine.of("QUIT").raw())).addListener(ChannelFutureListener.CLOSE);
    SpdtBinder.bind(context, clientConnection, identifier, CLIENT_HANDLER);
  }

  // ---- life ----

  private void scheduleIdleCheck(long delayNanos) {
    idleTimer = client.eventLoop().schedule(this::idleCheck, Math.max(1, delayNanos / 1_000_000), TimeUnit.MILLISECONDS);
  }

  private void idleCheck() {
    if (closed) {
      return;
    }
    long timeout = context.config().get(AlgOptions.IDLE_TIMEOUT).toNanos();
    if (mappings.relaying() || !pending.isEmpty() || working) {
      // a running data relay keeps the control connection open (RFC 6384 section 12), and so does
      // a command whose reply the client still waits for (a transfer waiting for its connection)
      lastActivity = System.nanoTime();
    }
    long idle = System.nanoTime() - lastActivity;
    if (idle >= timeout) {
      log.info("ALG session {} from {}: idle timeout", id, AddressFormats.hostPort(endpoints.clientRemote()));
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
    mappings.close();
    replies.clear();
    commands.clear();
    upstream.close();
    client.close();
    context.released(this);
  }


}
