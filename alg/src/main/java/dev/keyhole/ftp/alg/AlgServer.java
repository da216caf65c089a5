package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.ListenerErrors;
import dev.keyhole.ftp.transport.ReadCounter;
import dev.keyhole.ftp.transport.SpdtRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * Binds the ALG's listeners ({@link FtpAlg#bind()} is the way in) and, for each client
 * connection, opens a connection to the listener's upstream server on the same event loop and
 * relays between them ({@link AlgSession}).
 */
final class AlgServer {

  private static final Logger log = LoggerFactory.getLogger(AlgServer.class);
  private static final byte[] BUSY = "421 Too many users connected. Try later.\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UNREACHABLE = "421 Service not available: the FTP server cannot be reached.\r\n"
      .getBytes(StandardCharsets.US_ASCII);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private AlgServer() {}

  /** Binds every listener; the ALG runs until the returned handle is disposed. */
  static Mono<DisposableAlg> bind(AlgConfig config) {
    return Mono.defer(() -> {
      if (config.listeners().isEmpty()) {
        return Mono.error(new IllegalStateException("an ALG needs a listener: call listener(listen, upstream, mode)"));
      }
      boolean ownLoops = config.loops().isEmpty();
      var loops = config.loops().orElseGet(
          () -> LoopResources.create("keyhole-alg", 1, Math.max(2, Runtime.getRuntime().availableProcessors()), true));
      var context = new AlgContext(config,
          new DataChannels(loops, config.find(AlgOptions.DATA_PORTS), config.get(AlgOptions.MAPPING_TIMEOUT), config.get(AlgOptions.IDLE_TIMEOUT),
              ReadCounter::install),
          new SpdtRegistry(10_000, config.get(AlgOptions.MAPPING_TIMEOUT)));
      var ids = new AtomicLong();
      return Flux.fromIterable(config.listeners())
          .concatMap(listener -> TcpServer.create()
              .runOn(loops)
              .bindAddress(listener::listen)
              .option(ChannelOption.SO_BACKLOG, 4096)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              // a client connection can become an SPDT data connection, relayed by splicing
              .doOnChannelInit((observer, channel, remote) -> ReadCounter.install(channel))
              .doOnBound(bound -> ListenerErrors.install(bound.channel()))
              .handle((in, out) -> {
                var connection = new Connection[1];
                in.withConnection(c -> connection[0] = c);
                accept(context, listener, ids.incrementAndGet(), connection[0]);
                return connection[0].onDispose();
              })
              .bind()
              .map(DisposableServer.class::cast)
              .doOnNext(bound -> log.info("ALG {} listening on {} for {}", listener.mode().label(), AddressFormats.hostPort(bound.address()),
                  AddressFormats.hostPort(listener.upstream()))))
          .collectList()
          .map(listeners -> new DisposableAlg(config, listeners, context, loops, ownLoops))
          .onErrorResume(e -> (ownLoops ? loops.disposeLater() : Mono.<Void>empty()).then(Mono.error(e)));
    });
  }

  private static void accept(AlgContext context, AlgListener listener, long id, Connection connection) {
    Channel client = connection.channel();
    if (!context.tryOpen()) {
      if (listener.mode() == AlgMode.SPSV_GATEWAY && context.spdt().hasPending()) {
        log.info("ALG admitted {} for SPDT only: {} sessions open", AddressFormats.hostPort(client.remoteAddress()), context.openSessions());
        SpdtBinder.spdtOnly(context, connection);
        return;
      }
      log.info("ALG refused {}: {} sessions open", AddressFormats.hostPort(client.remoteAddress()), context.openSessions());
      context.config().metrics().sessionRejected("max-sessions");
      client.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // nothing is read from the client until the upstream connection is there
    client.config().setAutoRead(false);
    new Bootstrap()
        .group(client.eventLoop())
        .channel(client instanceof EpollSocketChannel ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            // the session adds its handlers once connected
          }
        })
        .connect(listener.upstream())
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            context.abandoned();
            log.warn("ALG: cannot reach {} for {}: {}", AddressFormats.hostPort(listener.upstream()), AddressFormats.hostPort(client.remoteAddress()), f.cause().toString());
            context.config().metrics().sessionRejected("upstream-unreachable");
            client.writeAndFlush(Unpooled.wrappedBuffer(UNREACHABLE)).addListener(ChannelFutureListener.CLOSE);
            return;
          }
          if (!client.isActive()) {
            context.abandoned();
            f.channel().close();
            return;
          }
          var session = new AlgSession(context, listener, id, connection, f.channel());
          context.opened(session);
          context.config().metrics().sessionOpened(listener.mode().label());
          log.info("ALG session {}: {} -> {} ({})", id, AddressFormats.hostPort(client.remoteAddress()), AddressFormats.hostPort(listener.upstream()), listener.mode().label());
          session.start();
          client.config().setAutoRead(true);
          client.read();
        });
  }

  /** Where a listener accepted connections, for tests that bind port 0. */
  static InetSocketAddress address(DisposableServer server) {
    return (InetSocketAddress) server.address();
  }
}
