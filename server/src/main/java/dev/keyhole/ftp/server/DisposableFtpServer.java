package dev.keyhole.ftp.server;

import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.data.RateLimits;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.listen.ConnectionRouter;
import dev.keyhole.ftp.server.listen.ControlLoop;
import dev.keyhole.ftp.server.session.Bans;
import dev.keyhole.ftp.server.tls.TlsInfo;
import dev.keyhole.ftp.server.tls.TlsSettings;
import dev.keyhole.ftp.server.tls.internal.ServerTls;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.ListenerErrors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/** A running server: its bound addresses, its events, and how to stop it. */
public final class DisposableFtpServer implements Disposable {

  private static final Logger log = LoggerFactory.getLogger(DisposableFtpServer.class);

  /** The configuration bound with: listeners, event loops and the blocking scheduler come from it. */
  private final FtpServerConfig config;
  /** Rate limits a reload replaced: closed when the server stops, as transfers may still use them. */
  private final List<RateLimits> retired = new CopyOnWriteArrayList<>();
  private final List<DisposableServer> listeners;
  private final ConnectionRouter router;
  private final LoopResources loops;
  private final Scheduler blocking;
  private final Sinks.Many<FtpEvent> events;
  private final AtomicBoolean disposed = new AtomicBoolean();
  private final Sinks.Empty<Void> stopped = Sinks.empty();

  DisposableFtpServer(FtpServerConfig config, List<DisposableServer> listeners, ConnectionRouter router,
      LoopResources loops, Scheduler blocking, Sinks.Many<FtpEvent> events) {
    this.config = config;
    this.listeners = List.copyOf(listeners);
    this.router = router;
    this.loops = loops;
    this.blocking = blocking;
    this.events = events;
  }

  /** The first listener's bound address. */
  public InetSocketAddress address() {
    return addresses().get(0);
  }

  /** The first listener's bound port: the one to connect to after binding port 0. */
  public int port() {
    return address().getPort();
  }

  /** Every listener's bound address: the plain ones first, in configuration order, then the implicit-FTPS ones. */
  public List<InetSocketAddress> addresses() {
    return listeners.stream().map(l -> (InetSocketAddress) l.address()).toList();
  }

  /** The implicit-FTPS listeners' bound addresses. */
  public List<InetSocketAddress> implicitTlsAddresses() {
    var all = addresses();
    return all.subList(config.bindAddresses().size(), all.size());
  }

  /** The TLS settings, provider and certificate fingerprint, when FTPS is configured. */
  public Optional<TlsInfo> tls() {
    return router.context().tls().map(t -> new TlsInfo(t.settings(), t.provider().name(), t.fingerprint()));
  }

  /** The configuration the server runs with. */
  public FtpServerConfig configuration() {
    return router.context().config();
  }

  /**
   * Applies a new configuration to the running server, as {@code keyhole serve} does on SIGHUP:
   * users and authentication, the file system, limits, bans settings, bandwidth, timeouts, the
   * banner and TLS (a renewed certificate, explicit FTPS on or off) hold for the sessions,
   * logins and transfers that start from now on; those running keep going, and a session already
   * logged in keeps its user and root. What a running server cannot change is refused with
   * {@link IllegalArgumentException} and nothing changes: the bind addresses, the implicit-FTPS
   * listeners, the event loops and the blocking scheduler (restart for those). The SPSV limits
   * ({@link ServerOptions#MAX_PENDING_SPSV}, {@link ServerOptions#SPSV_TIMEOUT}) keep their values
   * until a restart; bans keep their state unless their settings change.
   *
   * @throws IllegalArgumentException for a change that needs a restart, or TLS files that cannot be read
   */
  public void reconfigure(FtpServerConfig next) {
    var now = router.context();
    var running = now.config();
    if (!next.bindAddresses().equals(config.bindAddresses())) {
      throw new IllegalArgumentException("the bind addresses cannot change while the server runs (restart it)");
    }
    var implicitNow = running.tls().map(TlsSettings::implicitAddresses).orElse(List.of());
    var implicitNext = next.tls().map(TlsSettings::implicitAddresses).orElse(List.of());
    if (!implicitNow.equals(implicitNext)) {
      throw new IllegalArgumentException("the implicit-FTPS listeners cannot change while the server runs (restart it)");
    }
    if (!next.find(ServerOptions.NODE_ID).equals(running.find(ServerOptions.NODE_ID))) {
      throw new IllegalArgumentException("the node id cannot change while the server runs: its SPSV identifiers carry it");
    }
    ConnectionRouter.check(next);
    if (!next.loops().equals(config.loops()) || !next.blocking().equals(config.blocking())) {
      throw new IllegalArgumentException("the event loops and the blocking scheduler cannot change while the server runs");
    }
    Optional<ServerTls> tls;
    try {
      tls = next.tls().isPresent() ? Optional.of(ServerTls.create(next.tls().get(), FtpServer.hostCertificates(next)))
          : Optional.empty();
    } catch (IOException e) {
      throw new IllegalArgumentException("TLS: " + e.getMessage(), e);
    }
    var dataChannels = new DataChannels(loops, next.find(ServerOptions.PASSIVE_PORTS),
        next.get(ServerOptions.DATA_CONNECTION_TIMEOUT), next.get(ServerOptions.DATA_CONNECTION_TIMEOUT));
    boolean sameBans = Stream.of(ServerOptions.BAN_AFTER, ServerOptions.BAN_WINDOW, ServerOptions.BAN_FOR,
            ServerOptions.LOCK_ACCOUNT_AFTER, ServerOptions.MAX_CONNECTIONS_PER_MINUTE)
        .allMatch(option -> running.get(option).equals(next.get(option)));
    var bans = sameBans ? now.bans() : new Bans(next);
    boolean sameRates = Stream.of(ServerOptions.DOWNLOAD_RATE, ServerOptions.UPLOAD_RATE,
            ServerOptions.TOTAL_DOWNLOAD_RATE, ServerOptions.TOTAL_UPLOAD_RATE)
        .allMatch(option -> running.get(option).equals(next.get(option)));
    var rates = sameRates ? now.rates() : new RateLimits(next, loops.onServer(true));
    var replaced = now.reconfigure(next, dataChannels, tls, bans, rates);
    if (replaced != rates) {
      retired.add(replaced);
    }
    tls.ifPresent(t -> log.info("TLS with the {} provider; certificate SHA-256 fingerprint {}", t.provider(),
        t.fingerprint()));
  }

  /**
   * Sessions, logins, transfers, deletions, renames and new directories as they happen. Delivered
   * without loss to a subscriber up to 16,384 events behind; past that the newest are dropped
   * (counted, logged at WARN), never stalling the server. Events published before the first
   * subscriber are kept for it, within the same bound.
   */
  public Flux<FtpEvent> events() {
    return events.asFlux();
  }

  /** Control sessions open now. */
  public int openSessions() {
    return router.openSessions();
  }

  /**
   * Drains the node and stops, as {@code keyhole serve} does on SIGTERM: {@link #isDraining()}
   * turns true at once (the health endpoint answers 503, so a balancer sends no new sessions),
   * the listeners stay open for SPDT (this node's pending identifiers, and its peers' through
   * it) but greet new sessions 421, and each session closes once its running command and the
   * transfer of its prepared data connection have ended. When no session and no relay is left
   * and no connection has arrived for {@link #DRAIN_QUIET} (the balancer has noticed), or
   * {@code timeout} has passed, the rest is closed with 421 and the server stops. Blocks until done.
   */
  public void drainNow(Duration timeout) {
    if (disposed.get()) {
      return;
    }
    log.info("draining: {} sessions, {} relays; at most {} s", router.openSessions(), router.relays(), timeout.toSeconds());
    router.drain();
    long deadline = System.nanoTime() + timeout.toNanos();
    var quiet = DRAIN_QUIET.compareTo(timeout) < 0 ? DRAIN_QUIET : timeout;
    while (router.busy(quiet) && System.nanoTime() < deadline) {
      sleep(20);
    }
    log.info("drained: {} sessions and {} relays left", router.openSessions(), router.relays());
    disposeNow(Duration.ZERO);
  }

  /**
   * How long a draining node waits, once its own work is done, for connections to stop arriving:
   * until its balancer's health check has taken it out, an SPDT for a peer may still come.
   */
  public static final Duration DRAIN_QUIET = Duration.ofSeconds(2);

  /** Whether the server is draining or stopped: a health check should fail. */
  public boolean isDraining() {
    return router.draining() || disposed.get();
  }

  /**
   * Starts stopping, with the configured grace period for running transfers, and returns at
   * once, as Reactor Netty's {@code dispose()} does; {@link #onDispose()} completes when it is
   * done. {@link #disposeNow(Duration)} waits.
   */
  @Override
  public void dispose() {
    if (!disposed.get()) {
      Thread.ofVirtual().name("keyhole-dispose").start(() -> disposeNow(config.get(ServerOptions.SHUTDOWN_GRACE)));
    }
  }

  /** Completes once the server has stopped: sessions closed, event loops released. */
  public Mono<Void> onDispose() {
    return stopped.asMono();
  }

  /** Stops and waits, at most the shutdown grace and a little more. */
  public void disposeNow() {
    disposeNow(config.get(ServerOptions.SHUTDOWN_GRACE));
  }

  /**
   * Stops listening, lets running transfers finish within {@code grace}, closes every session with
   * 421 and releases the event loops and the blocking scheduler unless the application supplied
   * them ({@link FtpServer#runOn}, {@link FtpServer#blockingScheduler}). Blocks until done.
   */
  public void disposeNow(Duration grace) {
    if (!disposed.compareAndSet(false, true)) {
      return;
    }
    listeners.forEach(listener -> {
      ListenerErrors.closing(listener.channel());
      listener.dispose();
    });
    router.sessions().forEach(ControlLoop::shutdown);
    long deadline = System.nanoTime() + grace.toNanos();
    while (router.openSessions() > 0 && System.nanoTime() < deadline) {
      sleep(20);
    }
    if (router.openSessions() > 0) {
      log.info("closing {} sessions at the end of the shutdown grace period", router.openSessions());
      router.sessions().forEach(s -> s.close(Replies.SHUTTING_DOWN));
      for (int i = 0; i < 50 && router.openSessions() > 0; i++) {
        sleep(20);
      }
    }
    events.tryEmitComplete();
    router.close();
    router.context().rates().close();
    retired.forEach(RateLimits::close);
    if (config.loops().isEmpty()) {
      loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }
    if (config.blocking().isEmpty()) {
      blocking.dispose();
    }
    stopped.tryEmitEmpty();
  }

  @Override
  public boolean isDisposed() {
    return disposed.get();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
