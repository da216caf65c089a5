package dev.keyhole.ftp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link FtpReply} values as UTF-8 text with CRLF line ends, straight into the outgoing
 * buffer: no intermediate string per reply. The layout is {@link FtpReply#toWire}'s, CR and LF
 * inside a line escaped ({@link FtpReply#escape}).
 */
@ChannelHandler.Sharable
public final class FtpReplyEncoder extends MessageToByteEncoder<FtpReply> {

  /** The encoder; it keeps no state, so one serves every connection. */
  public static final FtpReplyEncoder INSTANCE = new FtpReplyEncoder();

  private FtpReplyEncoder() {
    super(FtpReply.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, FtpReply reply, ByteBuf out) {
    var lines = reply.lines();
    int last = lines.size() - 1;
    for (int i = 0; i < last; i++) {
      String line = lines.get(i);
      if (i == 0) {
        writeCode(out, reply.code());
        out.writeByte('-');
      } else if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
        out.writeByte(' ');
      }
      out.writeCharSequence(FtpReply.escape(line), StandardCharsets.UTF_8);
      out.writeShort(CRLF);
    }
    writeCode(out, reply.code());
    out.writeByte(' ');
    out.writeCharSequence(FtpReply.escape(lines.get(last)), StandardCharsets.UTF_8);
    out.writeShort(CRLF);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, FtpReply reply, boolean preferDirect) {
    int size = 8;
    for (String line : reply.lines()) {
      size += line.length() + 6;
    }
    return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
  }

  private static final int CRLF = ('\r' << 8) | '\n';

  private static void writeCode(ByteBuf out, int code) {
    out.writeByte('0' + code / 100);
    out.writeByte('0' + code / 10 % 10);
    out.writeByte('0' + code % 10);
  }
}
