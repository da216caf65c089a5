package dev.keyhole.ftp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one splitter of a control stream into command lines, under the server's, the client's and
 * the ALG's decoders: Telnet commands are taken out ({@link Telnet}), a line ends at LF with an
 * optional CR before it, and a line longer than the limit is discarded up to its end after one
 * {@link #overlong} call, so that the session goes on. Subclasses turn a line into a message.
 *
 * <p>After a line whose verb is one of the pause verbs (SPDT), the splitter decodes nothing more
 * until {@link #resume} is called: the bytes that follow may be data, not commands, and removing
 * the decoder from the pipeline hands them to the next handler. One line is decoded at a time, so
 * that a handler may change the pipeline after any line.
 */
public abstract class LineSplitter extends ByteToMessageDecoder {

  /** The default maximum line length in bytes, as vsftpd's and more than any path needs. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 4096;

  /** Bytes a paused decoder holds before it gives up on the peer. */
  static final int MAX_PAUSED_BYTES = 1 << 20;

  private final int maxLineLength;
  private final Set<String> pauseVerbs;
  private final Telnet telnet;
  private boolean paused;
  private byte[] line = new byte[128];
  private int length;
  private boolean discarding;

  /**
   * @param maxLineLength the longest line in bytes, without its CR LF
   * @param pauseVerbs the verbs after which decoding pauses
   * @param refuseTelnet answer Telnet negotiation with a refusal (an ALG must, RFC 6384 section 4);
   *     otherwise it is dropped unanswered
   */
  protected LineSplitter(int maxLineLength, Set<String> pauseVerbs, boolean refuseTelnet) {
    if (maxLineLength < 16) {
      throw new IllegalArgumentException("maxLineLength must be at least 16: " + maxLineLength);
    }
    this.maxLineLength = maxLineLength;
    this.pauseVerbs = Set.copyOf(pauseVerbs);
    this.telnet = new Telnet(refuseTelnet);
  }

  /** The longest line in bytes, without its CR LF. */
  public final int maxLineLength() {
    return maxLineLength;
  }

  /**
   * The message for one line: {@code bytes[0, end)} is the line without its terminator,
   * {@code bytes[0, total)} the line as it came, terminator included.
   */
  protected abstract Object line(byte[] bytes, int end, int total);

  /** What an overlong line becomes, or null when the subclass answered it itself. */
  protected abstract @Nullable Object overlong(ChannelHandlerContext ctx);

  /** Decodes again after a pause, starting with the bytes that arrived meanwhile. Call on the event loop. */
  public final void resume(ChannelHandlerContext ctx) {
    if (paused) {
      paused = false;
      try {
        channelRead(ctx, Unpooled.EMPTY_BUFFER);
      } catch (Exception e) {
        ctx.fireExceptionCaught(e);
      }
    }
  }

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (paused) {
      if (in.readableBytes() > MAX_PAUSED_BYTES) {
        in.skipBytes(in.readableBytes());
        ctx.close();
      }
      return;
    }
    while (in.isReadable() && !ctx.isRemoved()) {
      int b = telnet.filter(ctx, in.readUnsignedByte());
      if (b >= 0 && data(ctx, b, out)) {
        return;
      }
    }
  }

  /** Takes one data byte; true when it ended a line. */
  private boolean data(ChannelHandlerContext ctx, int b, List<Object> out) {
    if (discarding) {
      discarding = b != '\n';
      return false;
    }
    if (length == line.length) {
      // room for the limit, a CR and the LF
      line = Arrays.copyOf(line, Math.min(maxLineLength + 2, line.length * 2));
    }
    line[length++] = (byte) b;
    int end = length - 1;
    if (b != '\n') {
      if (length > maxLineLength + 1 || (length == maxLineLength + 1 && b != '\r')) {
        tooLong(ctx, out);
        discarding = true;
      }
      return false;
    }
    if (end > 0 && line[end - 1] == '\r') {
      end--;
    }
    if (end > maxLineLength) {
      tooLong(ctx, out);
      return true;
    }
    int total = length;
    length = 0;
    Object message = line(line, end, total);
    out.add(message);
    paused = pauseVerbs.contains(verb(line, end));
    return true;
  }

  private void tooLong(ChannelHandlerContext ctx, List<Object> out) {
    length = 0;
    Object message = overlong(ctx);
    if (message != null) {
      out.add(message);
    }
  }

  private String verb(byte[] bytes, int end) {
    if (pauseVerbs.isEmpty()) {
      return "";
    }
    int space = 0;
    while (space < end && bytes[space] != ' ') {
      space++;
    }
    String verb = FtpCommand.knownVerb(bytes, 0, space);
    return verb == null ? "" : verb;
  }
}
