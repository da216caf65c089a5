package dev.keyhole.ftp.server.listen;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.transport.KeyholePipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the PROXY protocol header (v1 text or v2 binary, Netty's {@link HAProxyMessageDecoder})
 * a connection from a balancer or a cluster peer starts with, before anything is written to it,
 * and hands on the client's address it names. A {@code LOCAL} header (a balancer's own health
 * check) or one for an unknown protocol stands for the connection's own address, as the
 * specification says (and a UNIX socket's). A malformed header, or none within the timeout, closes the connection.
 *
 * <p>What arrives in the same read as the header (a balancer often sends it with the client's
 * first bytes: on an implicit-FTPS port, the TLS hello) is held until the read ends and then
 * passed from the start of the pipeline, through the handlers installed for the client (the TLS
 * handler goes first), which the decoder would otherwise pass it behind.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {

  /** How long a connection may take to send its header: a balancer sends it at once. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Consumer<InetSocketAddress> client;
  private final Consumer<String> failed;
  private ScheduledFuture<?> timer;
  private boolean done;
  /** The client's address once the header is read, handed on at the end of that read. */
  private @Nullable InetSocketAddress address;
  /** What came after the header in the same read. */
  private final ArrayDeque<Object> following = new ArrayDeque<>();

  private ProxyHeaderReader(Consumer<InetSocketAddress> client, Consumer<String> failed) {
    this.client = client;
    this.failed = failed;
  }

  /**
   * Installs the decoder and this reader first in the pipeline and starts reading; {@code client}
   * gets the client's address on the channel's event loop once the header is read, {@code failed}
   * why there was none (the connection is then closed).
   */
  static void install(Channel channel, Consumer<InetSocketAddress> client, Consumer<String> failed) {
    var reader = new ProxyHeaderReader(client, failed);
    channel.pipeline().addFirst(KeyholePipeline.PROXY_HEADER, reader);
    channel.pipeline().addFirst(KeyholePipeline.PROXY_DECODER, new HAProxyMessageDecoder());
    reader.timer = channel.eventLoop().schedule(() -> reader.fail(channel, "no PROXY header within "
        + TIMEOUT.toSeconds() + " s"), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    channel.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (address != null) {
      following.add(msg);
      return;
    }
    if (done || !(msg instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(msg);
      return;
    }
    InetSocketAddress from;
    try {
      from = clientAddress(header, (InetSocketAddress) ctx.channel().remoteAddress());
    } finally {
      header.release();
    }
    if (from == null) {
      fail(ctx.channel(), "a PROXY header with an unusable source address");
      return;
    }
    done = true;
    timer.cancel(false);
    // the decoder passes on what followed the header once this returns: taken above, until the read ends
    address = from;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    var from = address;
    if (from == null) {
      ctx.fireChannelReadComplete();
      return;
    }
    var held = List.copyOf(following);
    following.clear();
    var pipeline = ctx.pipeline();
    pipeline.remove(this);
    client.accept(from);
    held.forEach(pipeline::fireChannelRead);
    pipeline.fireChannelReadComplete();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    Object msg;
    while ((msg = following.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!done) {
      fail(ctx.channel(), "a malformed PROXY header: " + cause.getMessage());
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      done = true;
      timer.cancel(false);
      failed.accept("closed before its PROXY header");
    }
    ctx.fireChannelInactive();
  }

  private void fail(Channel channel, String why) {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
    }
    failed.accept(why);
    channel.close();
  }

  /** The header's source, or the connection's own peer for LOCAL and UNKNOWN; null for a source that is no address literal. */
  static InetSocketAddress clientAddress(HAProxyMessage header, InetSocketAddress connection) {
    var protocol = header.proxiedProtocol();
    if (header.command() == HAProxyCommand.LOCAL || protocol == HAProxyProxiedProtocol.UNKNOWN
        || protocol.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_UNIX || header.sourceAddress() == null) {
      return connection;
    }
    String source = header.sourceAddress();
    return AddressFormats.literal(source, source.contains(":"))
        .map(a -> new InetSocketAddress(a, header.sourcePort()))
        .orElse(null);
  }
}
