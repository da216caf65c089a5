package dev.keyhole.ftp.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;

/**
 * An established data connection. The channel and its inbound handler are captured when the
 * connection is accepted or connected: Reactor Netty replaces a terminated connection's channel
 * with a placeholder, and a client that ends an upload terminates it early.
 *
 * @param connection the Reactor Netty connection, for sending
 * @param channel the Netty channel
 * @param inbound what the client sends
 */
public record DataConnection(Connection connection, Channel channel, DataInbound inbound) {

  /** Wraps a connection whose channel was set up by {@link DataInbound#install}. */
  public static DataConnection of(Connection connection) {
    Channel channel = connection.channel();
    DataInbound inbound = channel.attr(DataInbound.KEY).get();
    if (inbound == null) {
      throw new IllegalStateException("a data connection without its inbound handler: " + channel);
    }
    return new DataConnection(connection, channel, inbound);
  }

  /** Where the bytes to send go, with back-pressure. */
  public NettyOutbound outbound() {
    return connection.outbound();
  }

  /** Whether TLS protects the connection (PROT P): then no file region can be sent through it. */
  public boolean encrypted() {
    return channel.pipeline().get(SslHandler.class) != null;
  }

  /** Bytes written to the peer so far that left: counted as they go, so a transfer cut short counts what it sent. */
  public long bytesSent() {
    return DataMeter.sent(channel);
  }

  /** Whether the connection is still open. */
  public boolean isActive() {
    return channel.isActive();
  }

  /**
   * Closes the connection once everything written to it has gone to the socket, releasing what
   * the peer sent that nobody read. A sending publisher can complete while its last buffers still
   * wait in the channel (seen relaying through the ALG: 28 KiB of 1.5 MB lost to a slow reader),
   * and closing then would drop them; the empty write completes only after them.
   */
  public Mono<Void> close() {
    inbound.discard();
    var closed = Mono.<Void>create(sink -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(written -> channel.close().addListener(f -> sink.success())));
    return closed.then(Mono.fromRunnable(connection::dispose));
  }

  /**
   * Resets the connection (SO_LINGER 0): the peer sees an error, not an end, and so does not take
   * a transfer cut short for a whole one.
   */
  public void abort() {
    var loop = channel.eventLoop();
    if (loop.isShuttingDown()) {
      return; // the server is stopping: its event loops close every channel
    }
    if (!loop.inEventLoop()) {
      loop.execute(this::abort);
      return;
    }
    if (channel.isOpen()) {
      try {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (ChannelException e) {
        // closed under us by the peer: nothing left to reset
      }
    }
    dispose();
  }

  /**
   * Closes without waiting, and under TLS without close_notify: this is how failed and cancelled
   * connections end, and a close_notify to a peer that is gone or stopped reading would hold the
   * close for the TLS handler's flush timeout and then log a warning.
   */
  public void dispose() {
    if (channel.eventLoop().isShuttingDown()) {
      return; // the server is stopping: its event loops close every channel
    }
    inbound.discard();
    var tls = channel.pipeline().context(SslHandler.class);
    if (tls != null) {
      tls.close(); // from the TLS handler's place toward the socket, past the handler itself
    } else {
      channel.close();
    }
    connection.dispose();
  }
}
