package dev.keyhole.ftp.server;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.protocol.FtpCommandDecoder;
import dev.keyhole.ftp.protocol.FtpReplyEncoder;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.FtpInterceptor;
import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.auth.Authenticator;
import dev.keyhole.ftp.server.command.CommandDispatcher;
import dev.keyhole.ftp.server.command.CommandTable;
import dev.keyhole.ftp.server.data.PartialUploads;
import dev.keyhole.ftp.server.data.RateLimits;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import dev.keyhole.ftp.server.listen.ConnectionRouter;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder;
import dev.keyhole.ftp.server.session.Bans;
import dev.keyhole.ftp.server.session.ServerContext;
import dev.keyhole.ftp.server.tls.TlsSettings;
import dev.keyhole.ftp.server.tls.internal.ServerTls;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.KeyholePipeline;
import dev.keyhole.ftp.transport.ListenerErrors;
import dev.keyhole.ftp.transport.PerLoopListener;
import dev.keyhole.ftp.transport.ReadCounter;
import dev.keyhole.ftp.transport.SpdtRegistry;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * An FTP server, configured by copy-on-write methods that each return a new instance, then bound:
 *
 * <pre>{@code
 * DisposableFtpServer server = FtpServer.create()
 *     .bindAddress("127.0.0.1", 0)
 *     .authenticator(authenticator)
 *     .bindNow();
 * int port = server.port();
 * server.disposeNow();
 * }</pre>
 */
public final class FtpServer {

  private static final Logger log = LoggerFactory.getLogger(FtpServer.class);

  private final FtpServerConfig config;

  private FtpServer(FtpServerConfig config) {
    this.config = config;
  }

  /** A server with the defaults: 127.0.0.1:2121, no users ({@link FtpServerConfig#defaults()}). */
  public static FtpServer create() {
    return new FtpServer(FtpServerConfig.defaults());
  }

  /** A server with exactly this configuration. */
  public static FtpServer from(FtpServerConfig config) {
    return new FtpServer(config);
  }

  /** The configuration this server binds with. */
  public FtpServerConfig configuration() {
    return config;
  }

  /**
   * Sets one of the {@link ServerOptions}, as Reactor Netty's {@code option(ChannelOption, value)}:
   * {@code .option(ServerOptions.IDLE_TIMEOUT, Duration.ofMinutes(2))}. A value that breaks the
   * option's constraint fails here with {@link IllegalArgumentException} naming the option.
   */
  public <T> FtpServer option(ConfigOption<T> option, T value) {
    return new FtpServer(config.with(option, value));
  }

  /** Listens on one address (port 0 picks a free port). */
  public FtpServer bindAddress(String host, int port) {
    return bindAddresses(List.of(new InetSocketAddress(host, port)));
  }

  /** Listens on each of these addresses, IPv4 and IPv6 alike. */
  public FtpServer bindAddresses(List<InetSocketAddress> addresses) {
    return new FtpServer(config.withBindAddresses(addresses));
  }

  /** Who may log in, and where each user's root is. */
  public FtpServer authenticator(Authenticator authenticator) {
    return new FtpServer(config.withAuthenticator(authenticator));
  }

  /** The file system each user sees (by default the default file system, jailed in the user's root). */
  public FtpServer fileSystem(FileSystemFactory factory) {
    return new FtpServer(config.withFileSystemFactory(factory));
  }

  /**
   * Adds a virtual host (RFC 7151): clients select it with {@code HOST name} before logging in and
   * then log in with its users and see its file system. One may be the default ({@link
   * VirtualHost#asDefault()}), which clients sending no HOST get; without one, this server's own
   * authenticator, file system and banner are the default.
   */
  public FtpServer virtualHost(VirtualHost host) {
    return new FtpServer(config.withVirtualHost(host));
  }

  /** Where meters are recorded (Micrometer: {@code MicrometerFtpMetricsRecorder}). */
  public FtpServer metrics(FtpMetricsRecorder recorder) {
    return new FtpServer(config.withMetrics(recorder));
  }

  /** Offers only these data-channel commands; the others answer 502 (FEAT leaves them out). */
  public FtpServer dataChannels(Set<DataChannelKind> kinds) {
    return option(ServerOptions.DATA_CHANNELS, Set.copyOf(kinds));
  }

  /** Single-port mode: SPSV only, so that the server needs exactly one open port. */
  public FtpServer singlePort() {
    return dataChannels(EnumSet.of(DataChannelKind.SPSV));
  }

  /**
   * Adds an interceptor that may allow, deny or disconnect before commands, logins, uploads,
   * downloads, deletions, renames and new directories ({@link FtpInterceptor}); several run in
   * the order added.
   */
  public FtpServer interceptor(FtpInterceptor interceptor) {
    return new FtpServer(config.withInterceptor(interceptor));
  }

  /**
   * Runs on the application's event loops (Reactor Netty's {@link LoopResources}), as Reactor
   * Netty's servers do with {@code runOn}; the application disposes them. Without it the server
   * makes its own, one per core, and disposes them when it stops.
   */
  public FtpServer runOn(LoopResources loops) {
    return new FtpServer(config.withLoops(loops));
  }

  /**
   * Runs file-system calls and other blocking work on the application's scheduler, which it
   * disposes; without it, on virtual threads of the server's own. Never an event loop.
   */
  public FtpServer blockingScheduler(Scheduler scheduler) {
    return new FtpServer(config.withBlocking(scheduler));
  }

  /** FTPS: explicit (AUTH TLS) and/or implicit listeners, as the settings say. */
  public FtpServer tls(TlsSettings settings) {
    return new FtpServer(config.withTls(settings));
  }

  /** Binds every listener; the server runs until the returned handle is disposed. */
  public Mono<DisposableFtpServer> bind() {
    return Mono.defer(() -> {
      try {
        ConnectionRouter.check(config);
      } catch (IllegalArgumentException e) {
        return Mono.error(e);
      }
      Optional<ServerTls> tls;
      try {
        tls = config.tls().isPresent() ? Optional.of(ServerTls.create(config.tls().get(), hostCertificates(config)))
            : Optional.empty();
      } catch (IOException e) {
        return Mono.error(e);
      }
      tls.ifPresent(t -> log.info("TLS with the {} provider; certificate SHA-256 fingerprint {}", t.provider(),
          t.fingerprint()));
      // no separate acceptor thread (Reactor Netty's default select count): the loop that accepts a connection may
      // serve it, where a thread of its own woke another for every new connection
      var loops = config.loops().orElseGet(
          () -> LoopResources.create("keyhole", Math.max(2, Runtime.getRuntime().availableProcessors()), true));
      var blocking = config.blocking().orElseGet(
          () -> Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor(), "keyhole-vt"));
      // buffered for subscribers that fall behind, never blocking the server (ServerContext.publish);
      // no autoCancel: a subscriber that leaves does not end the events for the next one
      var events = Sinks.many().multicast().<FtpEvent>onBackpressureBuffer(ServerContext.EVENT_BUFFER, false);
      var context = new ServerContext(config, blocking, new DataChannels(loops, config.find(ServerOptions.PASSIVE_PORTS),
          config.get(ServerOptions.DATA_CONNECTION_TIMEOUT), config.get(ServerOptions.DATA_CONNECTION_TIMEOUT)), events,
          new SpdtRegistry(config.get(ServerOptions.MAX_PENDING_SPSV), config.get(ServerOptions.SPSV_TIMEOUT),
              config.find(ServerOptions.NODE_ID).orElse(null)), tls,
          new Bans(config), new RateLimits(config, loops.onServer(true)));
      var router = new ConnectionRouter(context, new CommandDispatcher(CommandTable.standard()));
      var implicit = tls.map(t -> t.settings().implicitAddresses()).orElse(List.of());
      return bindAll(config.bindAddresses(), listener(router, Optional.empty()), loops)
          .zipWith(bindAll(implicit, listener(router, tls), loops), (plain, secure) -> {
            var all = new ArrayList<DisposableServer>(plain);
            all.addAll(secure);
            return all;
          })
          .map(listeners -> new DisposableFtpServer(config, listeners, router, loops, blocking, events))
          .doOnNext(server -> sweepPartialUploads(blocking))
          .onErrorResume(e -> (config.loops().isPresent() ? Mono.<Void>empty() : loops.disposeLater())
              .then(Mono.fromRunnable(() -> {
                if (config.blocking().isEmpty()) {
                  blocking.dispose();
                }
              }))
              .then(Mono.error(e)));
    });
  }

  /**
   * Binds a listener per address, in order (one socket per event loop where it can:
   * {@link PerLoopListener}). Where an IPv4 and an IPv6 wildcard share a port
   * ({@code bind: ["0.0.0.0", "::"]}), the IPv6 one binds first and, being dual-stack as Linux
   * makes it by default, takes IPv4 too: the IPv4 bind then fails with "address in use" and is
   * covered by it, as vsftpd's {@code listen_ipv6} covers both. Any other failure fails the bind.
   */
  private static Mono<List<DisposableServer>> bindAll(List<InetSocketAddress> addresses, TcpServer listener,
      LoopResources loops) {
    var order = new ArrayList<Integer>();
    for (int i = 0; i < addresses.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing(i -> !isIpv6Wildcard(addresses.get(i))));
    var bound = new DisposableServer[addresses.size()];
    return Flux.fromIterable(order)
        .concatMap(i -> PerLoopListener.bind(listener, addresses.get(i), loops)
            .onErrorResume(e -> dualStackCover(addresses.get(i), bound)
                .<Mono<DisposableServer>>map(Mono::just)
                .orElseGet(() -> Mono.error(e)))
            .doOnNext(server -> bound[i] = server))
        .then(Mono.fromSupplier(() -> List.of(bound)));
  }

  private static boolean isIpv6Wildcard(InetSocketAddress address) {
    return address.getAddress() instanceof Inet6Address && address.getAddress().isAnyLocalAddress();
  }

  /** The IPv6 wildcard listener bound on the port of this IPv4 wildcard, standing for it. */
  private static Optional<DisposableServer> dualStackCover(InetSocketAddress address, DisposableServer[] bound) {
    if (!(address.getAddress() instanceof Inet4Address) || !address.getAddress().isAnyLocalAddress()) {
      return Optional.empty();
    }
    for (var server : bound) {
      if (server != null && server.address() instanceof InetSocketAddress a && isIpv6Wildcard(a)
          && a.getPort() == address.getPort() && address.getPort() != 0) {
        log.info("{} is served by the dual-stack listener on {}", address, a);
        return Optional.of(new DualStackCover(server, address));
      }
    }
    return Optional.empty();
  }

  /** An IPv4 wildcard address served by a dual-stack IPv6 listener: its address, the other's channel. */
  private record DualStackCover(DisposableServer listener, InetSocketAddress address) implements DisposableServer {
    @Override
    public io.netty.channel.Channel channel() {
      return listener.channel();
    }
  }

  /**
   * Removes, in the background, the partial uploads an earlier run left in the users' roots (a
   * crash or {@code kill -9} mid-upload): those not written for twice the data timeout, which no
   * running upload of any server sharing the storage can still own.
   */
  private void sweepPartialUploads(Scheduler blocking) {
    var roots = config.authenticator().roots();
    if (roots.isEmpty()) {
      return;
    }
    var grace = config.get(ServerOptions.DATA_CONNECTION_TIMEOUT).multipliedBy(2);
    blocking.schedule(() -> roots.forEach(root -> PartialUploads.sweep(root, grace)));
  }

  /** Binds, waiting at most 30 seconds. */
  public DisposableFtpServer bindNow() {
    return bindNow(Duration.ofSeconds(30));
  }

  /** Binds, waiting at most {@code timeout}. */
  public DisposableFtpServer bindNow(Duration timeout) {
    var server = bind().block(timeout);
    if (server == null) {
      throw new IllegalStateException("the server did not bind");
    }
    return server;
  }

  /** The virtual hosts' own certificates, by each name and alias. */
  static java.util.Map<String, dev.keyhole.ftp.server.tls.TlsCertificate> hostCertificates(FtpServerConfig config) {
    var out = new java.util.HashMap<String, dev.keyhole.ftp.server.tls.TlsCertificate>();
    for (var host : config.virtualHosts()) {
      host.certificate().ifPresent(certificate -> host.names().forEach(name -> out.put(name, certificate)));
    }
    return out;
  }

  /**
   * One listener, its address and event loops given at bind. An implicit-FTPS listener
   * ({@code implicitTls} present) starts TLS at connect, before the greeting, which waits in the
   * TLS handler until the handshake is done.
   */
  private TcpServer listener(ConnectionRouter router, Optional<ServerTls> implicitTls) {
    return TcpServer.create()
        // a large backlog: a storm of simultaneous logins must not be dropped (vsftpd's 32 drops them)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        // a cluster node splices the SPDT connections it relays: that needs the read counter from the start
        .doOnChannelInit((observer, channel, remote) -> {
          if (!config.get(ServerOptions.CLUSTER_PEERS).isEmpty()) {
            ReadCounter.install(channel);
          }
        })
        // straight into the pipeline, before Reactor Netty's bridge: its addHandlerLast also hooks
        // each handler's removal to the connection's disposal, objects and work that a server
        // connection, closed rather than pooled, does not need (two close listeners a session)
        .doOnConnection(connection -> connection.channel().pipeline()
            // after SPDT the decoder stops: what follows may be data (draft-rosenau-ftp-single-port 3.2)
            .addBefore(NettyPipeline.ReactiveBridge, KeyholePipeline.COMMAND_DECODER,
                new FtpCommandDecoder(config.get(ServerOptions.MAX_LINE_LENGTH),
                    config.get(ServerOptions.DATA_CHANNELS).contains(DataChannelKind.SPSV) ? Set.of("SPDT") : Set.of()))
            .addBefore(NettyPipeline.ReactiveBridge, KeyholePipeline.REPLY_ENCODER, FtpReplyEncoder.INSTANCE))
        .doOnBound(bound -> ListenerErrors.install(bound.channel()))
        .handle((in, out) -> {
          var connection = new Connection[1];
          in.withConnection(c -> connection[0] = c);
          return router.route(connection[0], implicitTls.isPresent());
        });
  }
}
