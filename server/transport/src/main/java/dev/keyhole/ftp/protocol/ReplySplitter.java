package dev.keyhole.ftp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one splitter of a server's reply stream into replies, under the client's and the ALG's
 * decoders: a line {@code ddd text}, or a multi-line reply from {@code ddd-text} to the line that
 * starts with the same code and a space (RFC 959 4.2). Telnet commands are taken out
 * ({@link Telnet}). Bounded in line length and lines per reply; anything that is no reply is a
 * decoder error, which closes the connection. One reply is decoded at a time, so that a handler may
 * change the pipeline after any reply.
 */
public abstract class ReplySplitter extends ByteToMessageDecoder {

  private final int maxLineLength;
  private final int maxLines;
  private final Charset charset;
  private final Telnet telnet;
  private final List<String> lines = new ArrayList<>();
  private byte[] block = new byte[256];
  private int blockLength;
  private int lineStart;
  private int pendingCode = -1;

  /**
   * @param maxLineLength the longest reply line in bytes, without its CR LF
   * @param maxLines the most lines one reply may have
   * @param charset how the lines' text is read
   * @param refuseTelnet answer Telnet negotiation with a refusal; otherwise it is dropped unanswered
   */
  protected ReplySplitter(int maxLineLength, int maxLines, Charset charset, boolean refuseTelnet) {
    this.maxLineLength = maxLineLength;
    this.maxLines = maxLines;
    this.charset = charset;
    this.telnet = new Telnet(refuseTelnet);
  }

  /**
   * The message for one reply.
   *
   * @param lines each line as sent, codes included, without its terminator
   * @param bytes {@code bytes[0, length)} is the reply as it came (Telnet commands removed),
   *     terminators included; the array is reused after the call
   */
  protected abstract Object reply(int code, List<String> lines, byte[] bytes, int length);

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable() && !ctx.isRemoved()) {
      int b = telnet.filter(ctx, in.readUnsignedByte());
      if (b < 0) {
        continue;
      }
      if (blockLength == block.length) {
        block = Arrays.copyOf(block, block.length * 2);
      }
      block[blockLength++] = (byte) b;
      if (blockLength - lineStart > maxLineLength + 2) {
        throw new TooLongFrameException("reply line longer than " + maxLineLength);
      }
      if (b == '\n' && line(out)) {
        return;
      }
    }
  }

  /** Takes the line that just ended; true when it ended a reply. */
  private boolean line(List<Object> out) {
    int end = blockLength - 1;
    if (end > lineStart && block[end - 1] == '\r') {
      end--;
    }
    String text = new String(block, lineStart, end - lineStart, charset);
    lineStart = blockLength;
    lines.add(text);
    if (lines.size() > maxLines) {
      throw new TooLongFrameException("reply longer than " + maxLines + " lines");
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
    out.add(reply(code, List.copyOf(lines), block, blockLength));
    lines.clear();
    blockLength = 0;
    lineStart = 0;
    if (block.length > 4096) {
      block = new byte[256]; // a long FEAT or STAT reply does not keep its buffer
    }
  }

  /** The code of a line that can start a reply ({@code ddd}, {@code ddd text}, {@code ddd-text}), or -1. */
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
