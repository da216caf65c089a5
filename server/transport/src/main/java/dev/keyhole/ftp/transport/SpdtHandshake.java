package dev.keyhole.ftp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import reactor.core.publisher.Sinks;

/**
 * The client side of turning a new connection into an SPDT data connection: wait for the 220
 * greeting (it may be multi-line), send {@code SPDT <identifier>}, and expect exactly {@code 200
 * DATA} CRLF; then remove itself, so that the bytes after it are data.
 */
public final class SpdtHandshake extends ByteToMessageDecoder {

  /** The handler's name in a data connection's pipeline. */
  public static final String NAME = KeyholePipeline.SPDT_HANDSHAKE;
  private static final int MAX_LINE = 8192;

  private final String identifier;
  private final Sinks.Empty<Void> done;
  private boolean greeted;

  /**
   * @param identifier the identifier of the SPSV reply
   * @param done completes when {@code 200 DATA} arrived, fails when the server refused or closed
   */
  public SpdtHandshake(String identifier, Sinks.Empty<Void> done) {
    this.identifier = identifier;
    this.done = done;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!ctx.isRemoved()) {
      int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (lf < 0) {
        if (in.readableBytes() > MAX_LINE) {
          fail(ctx, "an overlong line instead of a reply");
        }
        return;
      }
      String line = in.toString(in.readerIndex(), lf - in.readerIndex(), StandardCharsets.UTF_8).stripTrailing();
      in.readerIndex(lf + 1);
      if (!greeted) {
        if (line.startsWith("220 ")) {
          greeted = true;
          ctx.writeAndFlush(Unpooled.copiedBuffer("SPDT " + identifier + "\r\n", StandardCharsets.US_ASCII));
        } else if (line.length() >= 4 && line.charAt(3) == ' ') {
          fail(ctx, "the server greeted with " + line);
          return;
        }
        continue;
      }
      if (line.equals("200 DATA")) {
        ctx.pipeline().remove(this);
        done.tryEmitEmpty();
        return;
      }
      fail(ctx, "SPDT refused: " + line);
      return;
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    ctx.read(); // data channels start with auto-read off
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    super.channelReadComplete(ctx);
    if (!ctx.isRemoved()) {
      ctx.read();
    }
  }

  /**
   * The server's end of the stream before {@code 200 DATA}: data connections allow half-closure,
   * so an end arrives as this event, not as the channel closing, and would leave the handshake
   * waiting until its timeout.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent || event instanceof ChannelInputShutdownReadComplete) {
      fail(ctx, "the data connection closed during SPDT");
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    done.tryEmitError(new DataConnectionException("the data connection closed during SPDT"));
    super.channelInactive(ctx);
  }

  private void fail(ChannelHandlerContext ctx, String message) {
    done.tryEmitError(new DataConnectionException(message));
    ctx.close();
  }
}
