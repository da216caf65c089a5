package dev.keyhole.ftp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/**
 * The address given by PORT or EPRT. The server connects to it when the transfer starts, from the
 * control connection's local address.
 *
 * @param target the client's data address
 * @param localAddress the server address to connect from; null: the kernel chooses
 * @param timeout the connect timeout
 * @param idleTimeout how long the connection may go without moving data
 * @param loops the event loops to run the connection on
 * @param channelInit run on the new channel before it reads
 */
public record ActiveTarget(InetSocketAddress target, @Nullable InetAddress localAddress, Duration timeout,
    Duration idleTimeout, LoopResources loops, Consumer<Channel> channelInit) implements DataChannelSetup {

  @Override
  public Mono<DataConnection> connection() {
    return connection(channel -> { });
  }

  /**
   * Connects, with {@code init} run on the new channel after the data inbound is installed: the
   * ALG puts an SPDT handshake there.
   */
  public Mono<DataConnection> connection(Consumer<Channel> init) {
    return connect(TcpClient.newConnection().runOn(loops), init);
  }

  /**
   * Connects on the given event loop (one of {@link #loops}'): the ALG puts both sides of a relay
   * on one loop, which splicing between them requires.
   */
  public Mono<DataConnection> connectionOn(EventLoop loop, Consumer<Channel> init) {
    return connect(TcpClient.newConnection().runOn(loop), init);
  }

  private Mono<DataConnection> connect(TcpClient client, Consumer<Channel> init) {
    // never pooled (newConnection): each data connection is its own, and a pool would cap them at 500
    var from = localAddress;
    return (from == null ? client : client.bindAddress(() -> new InetSocketAddress(from, 0)))
        .remoteAddress(() -> target)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .doOnChannelInit((observer, channel, remote) -> {
          DataInbound.install(channel, idleTimeout);
          channelInit.accept(channel);
          init.accept(channel);
        })
        .connect()
        .map(DataConnection::of)
        .onErrorMap(e -> !(e instanceof DataConnectionException),
            e -> new DataConnectionException("cannot connect to " + target, e));
  }

  @Override
  public void close() {
    // nothing is open until the transfer connects
  }
}
