package dev.keyhole.ftp.server.listen;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ClusterPeer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.session.FtpSession;
import dev.keyhole.ftp.server.session.ServerContext;
import dev.keyhole.ftp.transport.ActiveTarget;
import dev.keyhole.ftp.transport.DataConnection;
import dev.keyhole.ftp.transport.DataRelay;
import dev.keyhole.ftp.transport.KeyholePipeline;
import dev.keyhole.ftp.transport.ReadCounter;
import dev.keyhole.ftp.transport.SpdtBinding;
import dev.keyhole.ftp.transport.SpdtHandshake;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Sinks;

/**
 * Forwards an SPDT connection to the cluster node whose identifier it names: connects to that
 * node from this node's cluster address, sends a PROXY v2 header with the client's address (the
 * owner checks it as if the client had come straight to it), then the greeting is awaited and
 * the {@code SPDT} sent, exactly as a client would; once the owner answers {@code 200 DATA} the
 * client gets its {@code 200 DATA} here, and the two connections are relayed in both directions
 * ({@link DataRelay}: spliced in the kernel where it can, with back-pressure). TLS under
 * {@code PROT P} starts after {@code 200 DATA} between the client and the owner, through the relay.
 * A relay that fails resets both sides, so that the owner never takes a cut upload for a whole one.
 */
final class SpdtRelay {

  private static final Logger log = LoggerFactory.getLogger(SpdtRelay.class);
  static final FtpReply UNREACHABLE = FtpReply.of(425, "The node that issued this SPSV identifier cannot be reached.");
  static final FtpReply NOT_OVER_TLS = FtpReply.of(504,
      "SPDT for another node's identifier cannot arrive inside TLS; send it in the clear (PROT P starts TLS after 200 DATA).");

  private SpdtRelay() {}

  /**
   * Relays the connection of {@code session}, which has just sent {@code SPDT identifier}, to
   * {@code owner}; {@code ended} runs once it is over, whatever the outcome. On the event loop.
   */
  static void relay(ServerContext server, Cluster cluster, FtpSession session, String identifier, ClusterPeer owner,
      Runnable ended) {
    var connection = session.control();
    var channel = connection.channel();
    Duration timeout = server.config().get(ServerOptions.DATA_CONNECTION_TIMEOUT);
    var handshake = Sinks.<Void>empty();
    var header = header(session.remote(), session.local());
    var target = AddressFormats.literal(owner.host(), owner.host().contains(":"))
        .map(a -> new InetSocketAddress(a, owner.port()))
        .orElseGet(() -> InetSocketAddress.createUnresolved(owner.host(), owner.port()));
    long start = System.nanoTime();
    new ActiveTarget(target, cluster.ownAddress().orElse(null), timeout, timeout, server.dataChannels().loops(),
        ReadCounter::install)
        .connectionOn(channel.eventLoop(), upstream -> {
          upstream.pipeline().addFirst(SpdtHandshake.NAME, new SpdtHandshake(identifier, handshake));
          upstream.pipeline().addFirst(KeyholePipeline.PROXY_ENCODER, new HeaderWriter(header));
        })
        .flatMap(upstream -> handshake.asMono().timeout(timeout).thenReturn(upstream)
            .doOnError(e -> upstream.dispose()))
        .flatMap(upstream -> {
          channel.pipeline().remove(KeyholePipeline.REPLY_ENCODER);
          DataConnection client = SpdtBinding.dataConnection(connection, KeyholePipeline.COMMAND_DECODER, timeout, c -> { });
          log.debug("connection {} from {}: SPDT relayed to node {} in {} us", session.id(),
              AddressFormats.hostPort(session.remote()), owner.id(), (System.nanoTime() - start) / 1000);
          return DataRelay.relay(client, upstream, timeout, true);
        })
        .doFinally(s -> ended.run())
        .subscribe(
            relayed -> {
              server.config().metrics().spdtRelayed(relayed.complete() ? "complete" : "failed", relayed.bytes());
              log.info("connection {} from {}: {} bytes relayed to node {} ({}{})", session.id(),
                AddressFormats.hostPort(session.remote()), relayed.bytes(), owner.id(), relayed.method(),
                relayed.complete() ? "" : ", failed");
            },
            error -> {
              server.config().metrics().spdtRelayed("unreachable", 0);
              log.info("connection {} from {}: SPDT for node {} failed: {}", session.id(),
                  AddressFormats.hostPort(session.remote()), owner.id(), error.getMessage());
              if (channel.pipeline().get(KeyholePipeline.REPLY_ENCODER) != null) {
                var reply = error.getMessage() != null && error.getMessage().startsWith("SPDT refused")
                    ? SpdtBinding.REFUSED : UNREACHABLE;
                channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
              } else {
                channel.close();
              }
            });
  }

  /** A PROXY v2 header naming the client and the address it connected to, both of one family. */
  static HAProxyMessage header(InetSocketAddress client, InetSocketAddress local) {
    InetAddress source = client.getAddress();
    InetAddress destination = local.getAddress();
    boolean v4 = source instanceof Inet4Address && destination instanceof Inet4Address;
    return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
        v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6, text(source, v4), text(destination, v4),
        client.getPort(), local.getPort());
  }

  /** An address as the header writes it: IPv4 in an IPv6 header as {@code ::ffff:a.b.c.d}. */
  private static String text(InetAddress address, boolean v4) {
    return !v4 && address instanceof Inet4Address ? "::ffff:" + address.getHostAddress() : AddressFormats.toText(address);
  }

  /** Writes the header first thing once connected, then leaves the pipeline with the encoder. */
  private static final class HeaderWriter extends ChannelInboundHandlerAdapter {
    private final HAProxyMessage header;

    HeaderWriter(HAProxyMessage header) {
      this.header = header;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().addBefore(ctx.name(), null, HAProxyMessageEncoder.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      var encoder = ctx.pipeline().context(HAProxyMessageEncoder.INSTANCE);
      ctx.writeAndFlush(header).addListener(f -> {
        if (encoder != null && !encoder.isRemoved()) {
          ctx.pipeline().remove(HAProxyMessageEncoder.INSTANCE);
        }
      });
      ctx.pipeline().remove(this);
      ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (!ctx.channel().isActive()) {
        header.release();
      }
    }
  }
}
