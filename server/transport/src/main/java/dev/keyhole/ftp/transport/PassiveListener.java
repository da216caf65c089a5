package dev.keyhole.ftp.transport;

import dev.keyhole.ftp.protocol.AddressFormats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;

/**
 * A listener opened by PASV or EPSV. It accepts one connection, and only from the control
 * connection's peer address: a connection from elsewhere is closed and the listener keeps waiting
 * (data-channel theft, RFC 2577 section 4). It stops listening once it has its connection.
 */
public final class PassiveListener implements DataChannelSetup {

  private static final Logger log = LoggerFactory.getLogger(PassiveListener.class);

  private final InetAddress expectedPeer;
  private final Duration timeout;
  private final Scheduler timer;
  private final Sinks.One<DataConnection> accepted = Sinks.one();
  private final AtomicReference<@Nullable DisposableServer> server = new AtomicReference<>();
  /** The accepted connection, or {@link #CLOSED} once the listener is closed. */
  private final AtomicReference<@Nullable Object> connection = new AtomicReference<>();
  private final AtomicBoolean taken = new AtomicBoolean();

  private static final Object CLOSED = new Object();

  /**
   * @param timer where the wait for the connection is timed: the listener's own event loop, so
   *     that arming and cancelling the timer of every transfer stays on that thread (Reactor's
   *     default timer thread took 6% of the server's CPU under small transfers, waking for each)
   */
  PassiveListener(InetAddress expectedPeer, Duration timeout, Scheduler timer) {
    this.expectedPeer = expectedPeer;
    this.timeout = timeout;
    this.timer = timer;
  }

  void bound(DisposableServer bound) {
    server.set(bound);
    if (connection.get() != null) {
      ListenerErrors.closing(bound.channel());
      bound.dispose();
    }
  }

  /** Called on the event loop of each connection the listener accepts. */
  void accept(Connection connection) {
    var remote = (InetSocketAddress) connection.channel().remoteAddress();
    if (!remote.getAddress().equals(expectedPeer)) {
      log.warn("Refused data connection from {}: the control connection is from {}", AddressFormats.hostPort(remote), AddressFormats.toText(expectedPeer));
      DataConnection.of(connection).dispose();
      return;
    }
    var data = DataConnection.of(connection);
    if (!this.connection.compareAndSet(null, data)) {
      data.dispose();
      return;
    }
    accepted.tryEmitValue(data);
    stopListening();
  }

  /** The port clients connect to. */
  public int port() {
    DisposableServer bound = server.get();
    return bound == null ? 0 : ((InetSocketAddress) bound.address()).getPort();
  }

  /** The address the listener is bound to. */
  public InetSocketAddress address() {
    DisposableServer bound = server.get();
    if (bound == null) {
      throw new IllegalStateException("not bound");
    }
    return (InetSocketAddress) bound.address();
  }

  @Override
  public Mono<DataConnection> connection() {
    return DataChannelSetup.awaitArrival(accepted.asMono(), timeout, timer, "data connection", taken, this::close);
  }

  @Override
  public void close() {
    Object previous = connection.getAndSet(CLOSED);
    stopListening();
    if (previous == null) {
      accepted.tryEmitError(new DataConnectionException("data channel closed"));
    } else if (previous instanceof DataConnection c && !taken.get()) {
      c.dispose();
    }
  }

  private void stopListening() {
    DisposableServer bound = server.get();
    if (bound != null) {
      ListenerErrors.closing(bound.channel());
      bound.dispose();
    }
  }
}
