package dev.keyhole.ftp.alg;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/** A running ALG: its bound listeners, in configuration order; dispose to stop it. */
public final class DisposableAlg implements AutoCloseable {

  private final AlgConfig config;
  private final List<DisposableServer> listeners;
  private final AlgContext context;
  private final LoopResources loops;

  DisposableAlg(AlgConfig config, List<DisposableServer> listeners, AlgContext context, LoopResources loops) {
    this.config = config;
    this.listeners = List.copyOf(listeners);
    this.context = context;
    this.loops = loops;
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

  /** Stops listening, closes every session and releases the event loops. */
  public void disposeNow(Duration timeout) {
    listeners.forEach(DisposableServer::disposeNow);
    context.sessions().forEach(s -> s.close("shutdown"));
    loops.disposeLater(Duration.ZERO, timeout).block(timeout);
  }

  @Override
  public void close() {
    disposeNow(Duration.ofSeconds(10));
  }
}
