package dev.keyhole.ftp.server.listen;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ControlInput;
import dev.keyhole.ftp.protocol.FtpCommand;
import dev.keyhole.ftp.protocol.FtpCommandDecoder;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.command.CommandDispatcher;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.session.FtpSession;
import dev.keyhole.ftp.server.session.ServerContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one control connection: reads command lines, runs them one at a time in arrival order, and
 * writes their replies in that order. ABOR and STAT are answered while a transfer runs (RFC 959
 * 4.1.3); other commands, and ABOR or STAT while a command that is not a transfer runs, wait. Everything here runs on the connection's event loop, so the
 * session's state needs no locks. At most {@link #MAX_QUEUED} commands wait; beyond that the
 * loop stops reading from the socket (back-pressure on pipelining clients).
 */
public final class ControlLoop extends BaseSubscriber<Object> {

  private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);
  static final int MAX_QUEUED = 32;
  private static final Set<String> URGENT = Set.of("ABOR", "STAT");
  private static final Set<String> LOGIN_VERBS = Set.of("USER", "PASS", "HOST");

  private final FtpSession session;
  private final ServerContext server;
  private final CommandDispatcher dispatcher;
  private final DataBinder binder;
  private final boolean counted;
  private final boolean spdtOnly;
  private boolean onlyLoginSoFar = true;
  private boolean converted;
  private final Channel channel;
  private final EventLoop loop;
  private final Scheduler loopScheduler;
  private final ArrayDeque<ControlInput> queue = new ArrayDeque<>();
  private boolean busy;
  private boolean readPaused;
  private boolean aborReplyPending;
  private boolean closing;
  private boolean shuttingDown;
  /** Draining: a session whose data connection is prepared stays for its transfer. */
  private boolean keepForData;
  /** Draining began before this connection said anything: only SPDT is served. */
  private boolean onlySpdt;
  private long lastActivity = System.nanoTime();
  /**
   * The pending login-deadline and idle-check timers: cancelled when the session ends, or each
   * would hold the closed session (its channel, pipeline and buffers) until it fired, up to the
   * idle timeout later; a soak of short sessions kept thousands alive that way.
   */
  private @Nullable ScheduledFuture<?> loginTimer;
  private @Nullable ScheduledFuture<?> idleTimer;

  /**
   * @param binder turns the connection into a data connection when its first command is SPDT
   * @param counted whether the connection counts against the session limits
   * @param spdtOnly whether only SPDT is accepted: the session limit is reached (draft section 5)
   */
  public ControlLoop(FtpSession session, ServerContext server, CommandDispatcher dispatcher, DataBinder binder,
      boolean counted, boolean spdtOnly) {
    this.session = session;
    this.server = server;
    this.dispatcher = dispatcher;
    this.binder = binder;
    this.counted = counted;
    this.spdtOnly = spdtOnly;
    this.channel = session.control().channel();
    this.loop = channel.eventLoop();
    this.loopScheduler = Schedulers.fromExecutor(loop);
  }

  public FtpSession session() {
    return session;
  }

  /** Greets the client and starts reading commands. Call on the connection's event loop. */
  public void start(FtpReply greeting) {
    write(greeting);
    scheduleIdleCheck(server.config().get(ServerOptions.IDLE_TIMEOUT));
    loginTimer = loop.schedule(this::loginDeadline, server.config().get(ServerOptions.LOGIN_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
    session.control().inbound().receiveObject().subscribe(this);
  }

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    request(1);
  }

  @Override
  protected void hookOnNext(Object value) {
    if (!(value instanceof ControlInput input) || closing) {
      request(1);
      return;
    }
    lastActivity = System.nanoTime();
    if (busy && session.transferInProgress() && input instanceof FtpCommand c && URGENT.contains(c.verb())
        && !c.hasArgument()) {
      urgent(c);
      request(1);
      return;
    }
    queue.add(input);
    if (queue.size() < MAX_QUEUED) {
      request(1);
    } else {
      readPaused = true;
    }
    drain();
  }

  /**
   * The control connection failed (a reset, a TLS error): a client going away is routine, one line
   * at INFO; the close that follows releases the session ({@link #closed()}).
   */
  @Override
  protected void hookOnError(Throwable error) {
    log.info("session {} from {}: control connection failed: {}", session.id(), AddressFormats.hostPort(session.remote()), error.toString());
    channel.close();
  }

  private void urgent(FtpCommand command) {
    log.debug("session {} < {} (during a transfer)", session.id(), command.toLogString());
    if (command.verb().equals("ABOR")) {
      if (session.abort()) {
        aborReplyPending = true;
      } else {
        write(Replies.ABOR_NOTHING);
      }
    } else {
      String status = session.transfer()
          .map(t -> t.description() + ": " + t.bytes() + " bytes transferred.")
          .orElse("A command is in progress.");
      write(FtpReply.of(213, "Status: " + status));
    }
  }

  private void drain() {
    while (!busy && !closing && !queue.isEmpty()) {
      run(queue.poll());
      if (readPaused && queue.size() < MAX_QUEUED) {
        readPaused = false;
        request(1);
      }
    }
  }

  private void run(ControlInput input) {
    busy = true;
    session.clearAbort();
    long start = System.nanoTime();
    String verb = input instanceof FtpCommand c ? c.verb() : "";
    if (verb.equals("SPDT") && onlyLoginSoFar && input instanceof FtpCommand c) {
      // the first command, or the one after USER/PASS (section 3.2): this connection is a data connection
      binder.bind(this, c.argument().trim());
      return;
    }
    if (spdtOnly) {
      write(FtpReply.of(421, "Too many users connected. Try later."));
      return;
    }
    if (onlySpdt) {
      write(Replies.SHUTTING_DOWN);
      return;
    }
    if (!LOGIN_VERBS.contains(verb)) {
      onlyLoginSoFar = false;
    }
    if (log.isDebugEnabled() && input instanceof FtpCommand c) {
      log.debug("session {} < {}", session.id(), c.toLogString());
    }
    var last = new FtpReply[1];
    dispatcher.dispatch(session, input, server)
        // one reply at a time: the default prefetch allocated a queue of 256 for every command
        .publishOn(loopScheduler, 1)
        .subscribe(
            reply -> {
              last[0] = reply;
              write(reply);
            },
            error -> {
              FtpReply reply = Replies.fromError(error);
              write(reply);
              finish(verb, reply, start);
            },
            () -> finish(verb, last[0] == null ? Replies.LOCAL_ERROR : last[0], start));
  }

  private void finish(String verb, FtpReply reply, long start) {
    busy = false;
    if (loginTimer != null && session.isLoggedIn()) {
      // logged in: the deadline's timer would otherwise stay queued, one per idle session
      loginTimer.cancel(false);
      loginTimer = null;
    }
    if (verb.equals("SPDT")) {
      resumeDecoder();
    }
    lastActivity = System.nanoTime();
    server.config().metrics().commandCompleted(
        // only the table's verbs become tags: what clients send must not grow the meter count
        dispatcher.table().find(verb).isPresent() ? verb : "OTHER", reply.code(),
        Duration.ofNanos(lastActivity - start));
    if (aborReplyPending) {
      aborReplyPending = false;
      write(Replies.ABOR_OK);
    }
    if (shuttingDown && !(keepForData && session.hasDataChannel())) {
      close(Replies.SHUTTING_DOWN);
      return;
    }
    drain();
  }

  private void write(FtpReply reply) {
    if (closing) {
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug("session {} > {} {}", session.id(), reply.code(), reply.text());
    }
    if (reply.code() == 221 || reply.code() == 421) {
      // RFC 959: these replies close the control connection
      closing = true;
      channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.writeAndFlush(reply, channel.voidPromise());
    }
    if (reply.code() >= 200) {
      session.takeAfterReply().ifPresent(Runnable::run);
    }
  }

  /** The connection counts against the session limits (it was not admitted for SPDT only). */
  public boolean counted() {
    return counted;
  }

  /** Whether the connection became a data connection. */
  public boolean converted() {
    return converted;
  }

  /**
   * Stops reading commands: the connection is becoming a data connection. The session's
   * timers and close handling no longer apply to it. Call on the event loop.
   */
  public void convertToData() {
    converted = true;
    closing = true;
    cancelTimers();
    queue.clear();
    dispose();
    var duration = Duration.ofNanos(System.nanoTime() - session.startNanos());
    if (counted) {
      server.config().metrics().sessionClosed(duration);
      server.publish(new FtpEvent.SessionClosed(session.id(), duration));
    }
    log.debug("connection {} from {} became a data connection", session.id(), AddressFormats.hostPort(session.remote()));
  }

  /** Writes a reply and closes the connection, whatever the reply's code. Call on the event loop. */
  public void refuse(FtpReply reply) {
    if (!closing) {
      closing = true;
      channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void resumeDecoder() {
    var context = channel.pipeline().context(FtpCommandDecoder.class);
    if (context != null) {
      ((FtpCommandDecoder) context.handler()).resume(context);
    }
  }

  /** Writes a 421 and closes, whatever runs. Any thread. */
  public void close(FtpReply reply) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> close(reply));
      return;
    }
    session.abort();
    write(reply);
  }

  /** Graceful shutdown: close now when idle, or once the running command ends. Any thread. */
  public void shutdown() {
    if (!loop.inEventLoop()) {
      loop.execute(this::shutdown);
      return;
    }
    shuttingDown = true;
    if (!busy) {
      close(Replies.SHUTTING_DOWN);
    }
  }

  /**
   * Draining: close once the running command has ended and no prepared data connection (an SPSV
   * identifier, a passive port) waits for its transfer; at once when there is neither. Any thread.
   */
  public void closeWhenDone() {
    if (!loop.inEventLoop()) {
      loop.execute(this::closeWhenDone);
      return;
    }
    shuttingDown = true;
    keepForData = true;
    if (busy || session.hasDataChannel()) {
      return;
    }
    if (onlyLoginSoFar && !session.isLoggedIn()) {
      // it may be an SPDT connection whose line is on its way: SPDT is still served, anything
      // else refused, and it gets a few seconds for it
      onlySpdt = true;
      loop.schedule(() -> {
        if (!converted && !closing) {
          close(Replies.SHUTTING_DOWN);
        }
      }, SPDT_WHILE_DRAINING.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    close(Replies.SHUTTING_DOWN);
  }

  /** How long a connection that has sent nothing yet may still send SPDT once draining began. */
  static final Duration SPDT_WHILE_DRAINING = Duration.ofSeconds(5);

  private void loginDeadline() {
    if (!converted && !session.isLoggedIn() && channel.isActive()) {
      log.info("session {} from {}: login timeout", session.id(), AddressFormats.hostPort(session.remote()));
      close(Replies.LOGIN_TIMEOUT);
    }
  }

  private void scheduleIdleCheck(Duration delay) {
    idleTimer = loop.schedule(this::idleCheck, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void idleCheck() {
    if (!channel.isActive() || closing) {
      return;
    }
    Duration timeout = server.config().get(ServerOptions.IDLE_TIMEOUT);
    if (busy || session.transfer().isPresent()) {
      // a transfer in progress keeps the session alive
      lastActivity = System.nanoTime();
      scheduleIdleCheck(timeout);
      return;
    }
    long idle = System.nanoTime() - lastActivity;
    if (idle >= timeout.toNanos()) {
      log.info("session {} from {}: idle timeout", session.id(), AddressFormats.hostPort(session.remote()));
      close(Replies.IDLE_TIMEOUT);
    } else {
      scheduleIdleCheck(Duration.ofNanos(timeout.toNanos() - idle));
    }
  }

  private void cancelTimers() {
    if (loginTimer != null) {
      loginTimer.cancel(false);
    }
    if (idleTimer != null) {
      idleTimer.cancel(false);
    }
  }

  /** Called once the control connection has closed: releases what the session holds. */
  public void closed() {
    if (converted) {
      return;
    }
    closing = true;
    cancelTimers();
    dispose();
    session.abort();
    session.closeDataChannel();
    var duration = Duration.ofNanos(System.nanoTime() - session.startNanos());
    if (counted) {
      server.config().metrics().sessionClosed(duration);
      server.publish(new FtpEvent.SessionClosed(session.id(), duration));
    }
    log.info("session {} from {} closed after {} s{}", session.id(), AddressFormats.hostPort(session.remote()),
        duration.toSeconds(), session.isLoggedIn() ? " (" + session.userName() + " logged out)" : "");
  }
}
