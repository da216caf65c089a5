package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.alg.codec.CommandLineDecoder;
import dev.keyhole.ftp.alg.codec.ControlLine;
import dev.keyhole.ftp.server.data.DataConnection;
import dev.keyhole.ftp.server.data.DataInbound;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.Connection;

/**
 * The gateway's side of SPDT: a client connection whose first command (or the one after USER and
 * PASS) is {@code SPDT <identifier>} becomes the data connection the identifier was issued for.
 */
final class SpdtBinder {

  private static final Logger log = LoggerFactory.getLogger(SpdtBinder.class);
  static final String SPDT_ONLY_HANDLER = "keyhole.alg.spdtOnly";
  private static final byte[] SPDT_ONLY_GREETING = "220 Too many users; only SPSV connections allowed\r\n"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BUSY = "421 Too many users connected. Try later.\r\n".getBytes(StandardCharsets.US_ASCII);

  private SpdtBinder() {}

  /**
   * Binds the connection to the identifier's mapping (200 DATA, then data), or answers 504 and
   * closes. {@code handler} is the control handler to take out of the pipeline.
   */
  static void bind(AlgContext context, Connection connection, String identifier, String handler) {
    Channel client = connection.channel();
    var remote = (InetSocketAddress) client.remoteAddress();
    var binding = context.spdt().take(identifier, remote.getAddress());
    if (binding.isEmpty()) {
      log.info("ALG connection from {}: SPDT refused", remote);
      context.config().metrics().mappingFailed("spdt-refused");
      client.writeAndFlush(Unpooled.wrappedBuffer("504 Unknown, expired or used SPSV identifier.\r\n"
          .getBytes(StandardCharsets.US_ASCII))).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    context.config().metrics().translated("spdt");
    client.config().setAutoRead(false);
    var inbound = DataInbound.installAfter(client, AlgSession.CLIENT_DECODER, context.config().idleTimeout());
    client.pipeline().remove(handler);
    client.writeAndFlush(Unpooled.wrappedBuffer("200 DATA\r\n".getBytes(StandardCharsets.US_ASCII)));
    // removing the decoder hands the bytes that followed the SPDT line to the data inbound
    client.pipeline().remove(AlgSession.CLIENT_DECODER);
    binding.get().deliver(new DataConnection(connection, client, inbound));
  }

  /**
   * The gateway is full but SPSV identifiers are pending: the connection is greeted for SPDT only
   * (draft-rosenau-ftp-single-port section 5), needs no upstream connection, and anything but
   * SPDT gets 421. It must bind within the mapping timeout.
   */
  static void spdtOnly(AlgContext context, Connection connection) {
    Channel client = connection.channel();
    client.pipeline().addFirst(SPDT_ONLY_HANDLER, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ControlLine line && line.verb().equals("SPDT")) {
          bind(context, connection, line.argument().trim(), SPDT_ONLY_HANDLER);
          return;
        }
        ReferenceCountUtil.release(msg);
        client.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
      }
    });
    client.pipeline().addFirst(AlgSession.CLIENT_DECODER, new CommandLineDecoder(context.config().maxLineLength(), true));
    client.writeAndFlush(Unpooled.wrappedBuffer(SPDT_ONLY_GREETING));
    client.config().setAutoRead(true);
    client.read();
    client.eventLoop().schedule(() -> {
      if (client.pipeline().get(SPDT_ONLY_HANDLER) != null) {
        client.close();
      }
    }, context.config().mappingTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }
}
