package dev.keyhole.ftp.alg.codec;

import dev.keyhole.ftp.protocol.Telnet;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups what the server sends into {@link ReplyBlock}s: a line {@code ddd text}, or a
 * multi-line reply from {@code ddd-text} to the line that starts with the same code and a space
 * (RFC 959 4.2). The bytes are kept as they arrived. Bounded in line length and lines per reply.
 */
public final class ReplyBlockDecoder extends ByteToMessageDecoder {

  private static final int MAX_LINE = 8192;
  private static final int MAX_LINES = 100_000;

  private final Telnet telnet = new Telnet(true);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final ByteArrayOutputStream block = new ByteArrayOutputStream();
  private final List<String> lines = new ArrayList<>();
  private int pendingCode = -1;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable() && !ctx.isRemoved()) {
      int b = telnet.filter(ctx, in.readUnsignedByte());
      if (b < 0) {
        continue;
      }
      line.write(b);
      if (line.size() > MAX_LINE) {
        throw new TooLongFrameException("reply line longer than " + MAX_LINE);
      }
      if (b == '\n') {
        if (line(out)) {
          return; // one reply at a time: the session may change the pipeline after it
        }
      }
    }
  }

  private boolean line(List<Object> out) {
    byte[] bytes = line.toByteArray();
    line.reset();
    int end = bytes.length - 1;
    if (end > 0 && bytes[end - 1] == '\r') {
      end--;
    }
    String text = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    block.writeBytes(bytes);
    lines.add(text);
    if (lines.size() > MAX_LINES) {
      throw new TooLongFrameException("reply longer than " + MAX_LINES + " lines");
    }
    if (pendingCode < 0) {
      int code = code(text);
      if (code < 0) {
        throw new CorruptedFrameException("not a reply line: " + text);
      }
      if (text.length() > 3 && text.charAt(3) == '-') {
        pendingCode = code;
        return false;
      }
      emit(code, out);
      return true;
    }
    if (code(text) == pendingCode && (text.length() == 3 || text.charAt(3) == ' ')) {
      emit(pendingCode, out);
      pendingCode = -1;
      return true;
    }
    return false;
  }

  private void emit(int code, List<Object> out) {
    out.add(new ReplyBlock(code, lines, block.toByteArray()));
    lines.clear();
    block.reset();
  }

  private static int code(String line) {
    if (line.length() < 3 || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
      return -1;
    }
    for (int i = 0; i < 3; i++) {
      if (!Character.isDigit(line.charAt(i))) {
        return -1;
      }
    }
    return Integer.parseInt(line.substring(0, 3));
  }
}
