package dev.keyhole.ftp.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ChannelBindException;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * A listening address served by one socket per event loop ({@code SO_REUSEPORT}, Linux epoll):
 * the kernel spreads new connections over the sockets, and each loop accepts its own and serves
 * them, where one socket's loop accepted every connection and handed half of them (with two
 * loops) to another loop, waking it each time. That hand-off cost a short session and, above all,
 * every SPSV transfer, whose data connection arrives on the control port (docs/benchmarks.md,
 * performance round 3).
 *
 * <p>Where epoll is not in use, or there is one loop, the address gets one socket as before.
 * {@code SO_REUSEPORT} would let a second server of the same user bind the port too and silently
 * take part of the connections; so a fixed port is first bound by an ordinary socket, briefly,
 * which fails as before when anything else listens there ("address in use"). A port 0 is chosen
 * by the kernel for the first socket among the ports nobody has bound.
 *
 * @param sockets the listening sockets, one per event loop
 */
public record PerLoopListener(List<DisposableServer> sockets) implements DisposableServer {

  /**
   * Binds {@code server} on {@code address}: one socket per loop of {@code loops} where they are
   * epoll loops, one socket otherwise. The server's own {@code runOn} and bind address are
   * replaced.
   */
  public static Mono<DisposableServer> bind(TcpServer server, InetSocketAddress address, LoopResources loops) {
    var group = loops.onServer(true);
    var each = new ArrayList<EventLoop>();
    if (Epoll.isAvailable() && group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class)) {
      group.forEach(e -> each.add((EventLoop) e));
    }
    if (each.size() < 2) {
      return server.runOn(loops).bindAddress(() -> address).bind().map(DisposableServer.class::cast);
    }
    var probe = address.getPort() == 0 ? Mono.<Void>empty() : Mono.<Void>fromRunnable(() -> probe(address));
    return probe.then(socket(server, each.get(0), address)).flatMap(first -> {
      var at = new InetSocketAddress(address.getAddress(), ((InetSocketAddress) first.address()).getPort());
      var all = new ArrayList<DisposableServer>(List.of(first));
      return Flux.fromIterable(each.subList(1, each.size()))
          .concatMap(loop -> socket(server, loop, at).doOnNext(all::add))
          .then(Mono.<DisposableServer>fromSupplier(() -> new PerLoopListener(List.copyOf(all))))
          .doOnError(e -> all.forEach(DisposableServer::dispose));
    });
  }

  private static Mono<DisposableServer> socket(TcpServer server, EventLoop loop, InetSocketAddress address) {
    // the loop as the group: it accepts on this socket and serves what it accepts
    return server.runOn(loop).option(EpollChannelOption.SO_REUSEPORT, true).bindAddress(() -> address).bind()
        .map(DisposableServer.class::cast);
  }

  /** Fails as an ordinary bind would where the address is taken, by anyone, SO_REUSEPORT or not. */
  private static void probe(InetSocketAddress address) {
    try (var socket = ServerSocketChannel.open()) {
      socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      socket.bind(address, 1);
    } catch (IOException e) {
      throw ChannelBindException.fail(address, e);
    }
  }

  @Override
  public Channel channel() {
    return sockets.get(0).channel();
  }

  @Override
  public void dispose() {
    sockets.forEach(socket -> {
      ListenerErrors.closing(socket.channel());
      socket.dispose();
    });
  }

  @Override
  public boolean isDisposed() {
    return sockets.stream().allMatch(DisposableServer::isDisposed);
  }

  @Override
  public Mono<Void> onDispose() {
    return Mono.when(sockets.stream().map(DisposableServer::onDispose).toList());
  }
}
