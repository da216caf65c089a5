package dev.keyhole.ftp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a server's reply stream into {@link FtpReply} values, joining multi-line replies
 * ({@code 123-first ... 123 last}) into one value. Lines inside a multi-line reply are kept as sent
 * (a leading space included), except the first and last, whose code prefix is removed.
 */
public final class FtpReplyDecoder extends ByteToMessageDecoder {

  private final int maxLineLength;
  private final int maxLines;
  private final List<String> pending = new ArrayList<>();
  private int pendingCode = -1;

  public FtpReplyDecoder() {
    this(8192, 100_000);
  }

  public FtpReplyDecoder(int maxLineLength, int maxLines) {
    this.maxLineLength = maxLineLength;
    this.maxLines = maxLines;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (lf < 0) {
        if (in.readableBytes() > maxLineLength) {
          throw new TooLongFrameException("reply line longer than " + maxLineLength);
        }
        return;
      }
      int len = lf - in.readerIndex();
      if (len > 0 && in.getByte(lf - 1) == '\r') {
        len--;
      }
      String line = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
      in.readerIndex(lf + 1);
      FtpReply reply = line(line);
      if (reply != null) {
        out.add(reply);
      }
    }
  }

  private FtpReply line(String line) {
    if (pendingCode < 0) {
      int code = code(line);
      if (code < 0) {
        throw new CorruptedFrameException("not a reply line: " + line);
      }
      String text = line.length() > 4 ? line.substring(4) : "";
      if (line.length() > 3 && line.charAt(3) == '-') {
        pendingCode = code;
        pending.add(text);
        return null;
      }
      return FtpReply.of(code, text);
    }
    // the reply's last line counts too (the fuzzer found replies of maxLines + 1)
    if (pending.size() >= maxLines) {
      throw new TooLongFrameException("multi-line reply longer than " + maxLines + " lines");
    }
    if (code(line) == pendingCode && (line.length() == 3 || line.charAt(3) == ' ')) {
      pending.add(line.length() > 4 ? line.substring(4) : "");
      var reply = FtpReply.multi(pendingCode, pending);
      pending.clear();
      pendingCode = -1;
      return reply;
    }
    pending.add(line);
    return null;
  }

  private static int code(String line) {
    if (line.length() < 3) {
      return -1;
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100 || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
      return -1;
    }
    return code;
  }
}
