package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.transport.ListenerErrors;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/**
 * A running ALG, as {@code DisposableFtpServer} is a running server: its bound listeners, in
 * configuration order. {@link #dispose()} starts stopping and returns at once,
 * {@link #onDispose()} completes when it has, {@link #disposeNow(Duration)} waits.
 */
public final class DisposableAlg implements Disposable {

  private final AlgConfig config;
  private final List<DisposableServer> listeners;
  private final AlgContext context;
  private final LoopResources loops;
  private final boolean ownLoops;
  private final AtomicBoolean disposed = new AtomicBoolean();
  private final Sinks.Empty<Void> stopped = Sinks.empty();

  DisposableAlg(AlgConfig config, List<DisposableServer> listeners, AlgContext context, LoopResources loops,
      boolean ownLoops) {
    this.config = config;
    this.listeners = List.copyOf(listeners);
    this.context = context;
    this.loops = loops;
    this.ownLoops = ownLoops;
  }

  /** The configuration the ALG runs with. */
  public AlgConfig configuration() {
    return config;
  }

  /** The bound address of each listener, in configuration order. */
  public List<InetSocketAddress> addresses() {
    return listeners.stream().map(AlgServer::address).toList();
  }

  /** Control sessions open now. */
  public int openSessions() {
    return context.openSessions();
  }

  /** Starts stopping and returns at once; {@link #onDispose()} completes when it is done. */
  @Override
  public void dispose() {
    if (!disposed.get()) {
      Thread.ofVirtual().name("keyhole-alg-dispose").start(() -> disposeNow(Duration.ofSeconds(10)));
    }
  }

  /** Completes once the ALG has stopped: listeners closed, sessions closed, event loops released. */
  public Mono<Void> onDispose() {
    return stopped.asMono();
  }

  /** Stops and waits at most 10 seconds. */
  public void disposeNow() {
    disposeNow(Duration.ofSeconds(10));
  }

  /**
   * Stops listening, closes every session and its data relays, and releases the event loops
   * unless the application supplied them ({@link FtpAlg#runOn}). Blocks until done, at most
   * {@code timeout} for the event loops.
   */
  public void disposeNow(Duration timeout) {
    if (!disposed.compareAndSet(false, true)) {
      return;
    }
    listeners.forEach(listener -> {
      ListenerErrors.closing(listener.channel());
      listener.disposeNow();
    });
    context.sessions().forEach(s -> s.close("shutdown"));
    if (ownLoops) {
      loops.disposeLater(Duration.ZERO, timeout).block(timeout);
    }
    stopped.tryEmitEmpty();
  }

  @Override
  public boolean isDisposed() {
    return disposed.get();
  }
}
