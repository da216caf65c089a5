package dev.keyhole.ftp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes {@link FtpReply} values as UTF-8 text with CRLF line ends. */
@ChannelHandler.Sharable
public final class FtpReplyEncoder extends MessageToByteEncoder<FtpReply> {

  public static final FtpReplyEncoder INSTANCE = new FtpReplyEncoder();

  private FtpReplyEncoder() {
    super(FtpReply.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, FtpReply reply, ByteBuf out) {
    out.writeCharSequence(reply.toWire(), StandardCharsets.UTF_8);
  }
}
