package dev.keyhole.ftp.transport;

import dev.keyhole.ftp.transport.PortRange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * Opens data channels: passive listeners on a port of the configured range (tried from a random
 * start, so that ports are not predictable), and active targets.
 */
public final class DataChannels {

  /** Ports tried before PASV gives up with 425 when the range is busy. */
  private static final int MAX_BIND_ATTEMPTS = 100;

  private final LoopResources loops;
  private final Optional<PortRange> passivePorts;
  private final Duration timeout;
  private final Duration idleTimeout;
  private final Consumer<Channel> channelInit;
  /** Each event loop as a Scheduler, for the timers of the listeners on it: made once per loop. */
  private final Map<EventLoopGroup, Scheduler> timers = new ConcurrentHashMap<>();

  /**
   * @param timeout how long a data connection may take to arrive or connect
   * @param idleTimeout how long an established data connection may go without moving data
   */
  public DataChannels(LoopResources loops, Optional<PortRange> passivePorts, Duration timeout, Duration idleTimeout) {
    this(loops, passivePorts, timeout, idleTimeout, channel -> { });
  }

  /**
   * @param channelInit run on every new data channel, accepted or connected, before it reads
   */
  public DataChannels(LoopResources loops, Optional<PortRange> passivePorts, Duration timeout, Duration idleTimeout,
      Consumer<Channel> channelInit) {
    this.loops = loops;
    this.passivePorts = passivePorts.or(() -> DEFAULT_RANGE);
    this.timeout = timeout;
    this.idleTimeout = idleTimeout;
    this.channelInit = channelInit;
  }

  /**
   * An event loop as a Scheduler, for the timers of the data channels made on it (passive
   * listeners, SPSV identifiers): made once per loop.
   */
  public Scheduler timer(EventLoopGroup loop) {
    return timers.computeIfAbsent(loop, Schedulers::fromExecutorService);
  }

  /** The event loops the listeners and connections run on. */
  public LoopResources loops() {
    return loops;
  }

  /**
   * Opens a listener on {@code bindAddress} that accepts one connection from {@code peer}, on the
   * given event loop: the control connection's own, so that binding, accepting and the transfer
   * never cross threads, and the listeners of many sessions spread over every loop instead of
   * queuing on the one acceptor thread (which saturated under small transfers: see
   * docs/benchmarks.md).
   */
  public Mono<PassiveListener> openPassive(InetAddress bindAddress, InetAddress peer, EventLoopGroup loop) {
    var listener = new PassiveListener(peer, timeout, timer(loop));
    TcpServer server = TcpServer.create()
        .runOn(loop)
        .option(ChannelOption.SO_BACKLOG, 4)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // read nothing, not even the client's FIN, until a transfer subscribes: an upload that
        // arrives and ends before STOR is processed must not be dropped
        .childOption(ChannelOption.AUTO_READ, false)
        .doOnChannelInit((observer, channel, remote) -> {
          DataInbound.install(channel, idleTimeout);
          channelInit.accept(channel);
        })
        .doOnBound(bound -> ListenerErrors.install(bound.channel()))
        .handle((in, out) -> {
          in.withConnection(listener::accept);
          return Mono.never();
        });
    return passivePorts
        .map(range -> bindInRange(server, bindAddress, range))
        .orElseGet(() -> server.bindAddress(() -> new InetSocketAddress(bindAddress, 0)).bind().map(DisposableServer.class::cast))
        .onErrorMap(e -> new DataConnectionException("cannot open a passive port", e))
        .map(bound -> {
          listener.bound(bound);
          return listener;
        });
  }

  private static Mono<DisposableServer> bindInRange(TcpServer server, InetAddress address, PortRange range) {
    int start = ThreadLocalRandom.current().nextInt(range.size());
    int attempts = Math.min(range.size(), MAX_BIND_ATTEMPTS);
    return tryBind(server, address, range, start, 0, attempts);
  }

  private static Mono<DisposableServer> tryBind(TcpServer server, InetAddress address, PortRange range,
      int start, int attempt, int attempts) {
    int port = range.from() + (start + attempt) % range.size();
    Mono<DisposableServer> bind = server.bindAddress(() -> new InetSocketAddress(address, port)).bind()
        .map(DisposableServer.class::cast);
    if (attempt + 1 >= attempts) {
      return bind;
    }
    return bind.onErrorResume(e -> tryBind(server, address, range, start, attempt + 1, attempts));
  }

  /** The lowest passive port chosen without a configured range: above most services' ports. */
  static final int DEFAULT_LOW_PORT = 10_000;

  /** Read once per process: it is file I/O, and data channels are made on event loops. */
  private static final Optional<PortRange> DEFAULT_RANGE = defaultRange();

  /**
   * Without a configured range, passive ports are picked here, at random, from 10000 up to just
   * below the kernel's ephemeral range (10000-32767 with Linux's defaults), as vsftpd picks its own.
   * Binding port 0 instead let the kernel search the ephemeral range, and binding there at all
   * collided with the outgoing connections' sockets: with tens of thousands of sockets in TIME_WAIT
   * during a load run, one bind took 400 to 900 microseconds, against 2 to 5 outside the range
   * (strace), and small transfers ran several times slower (docs/benchmarks.md).
   */
  static Optional<PortRange> defaultRange() {
    try {
      // a line reader: Files.readString returned only the first byte of this /proc file (JDK 25)
      String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
      int ephemeralStart = Integer.parseInt(range[0]);
      return ephemeralStart > DEFAULT_LOW_PORT + 1000
          ? Optional.of(new PortRange(DEFAULT_LOW_PORT, ephemeralStart - 1))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not Linux: the kernel picks (port 0)
    }
  }

  /** The target of a PORT or EPRT command. */
  public ActiveTarget active(InetSocketAddress target, InetAddress localAddress) {
    return new ActiveTarget(target, localAddress, timeout, idleTimeout, loops, channelInit);
  }
}
