package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ControlLineDecoder;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.transport.KeyholePipeline;
import dev.keyhole.ftp.transport.SpdtBinding;
import io.netty.buffer.ByteBuf;
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
  static final String SPDT_ONLY_HANDLER = KeyholePipeline.ALG_SPDT_ONLY;
  private static final byte[] BUSY = "421 Too many users connected. Try later.\r\n".getBytes(StandardCharsets.US_ASCII);

  private SpdtBinder() {}

  private static ByteBuf wire(FtpReply reply) {
    return Unpooled.copiedBuffer(reply.toWire(), StandardCharsets.US_ASCII);
  }

  /**
   * Binds the connection to the identifier's mapping (200 DATA, then data), or answers 504 and
   * closes. {@code handler} is the control handler to take out of the pipeline.
   */
  static void bind(AlgContext context, Connection connection, String identifier, String handler) {
    Channel client = connection.channel();
    var remote = (InetSocketAddress) client.remoteAddress();
    var binding = context.spdt().take(identifier, remote.getAddress());
    if (binding.isEmpty()) {
      log.info("ALG connection from {}: SPDT refused", AddressFormats.hostPort(remote));
      context.config().metrics().mappingFailed("spdt-refused");
      client.writeAndFlush(wire(SpdtBinding.REFUSED)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    context.config().metrics().translated("spdt");
    client.pipeline().remove(handler);
    binding.get().takeOver(connection, AlgSession.CLIENT_DECODER, context.config().get(AlgOptions.IDLE_TIMEOUT), data -> { });
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
    client.pipeline().addFirst(AlgSession.CLIENT_DECODER, new ControlLineDecoder(context.config().get(AlgOptions.MAX_LINE_LENGTH), true));
    client.writeAndFlush(wire(SpdtBinding.SPDT_ONLY_GREETING));
    client.config().setAutoRead(true);
    client.read();
    client.eventLoop().schedule(() -> {
      if (client.pipeline().get(SPDT_ONLY_HANDLER) != null) {
        client.close();
      }
    }, context.config().get(AlgOptions.MAPPING_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
  }
}
