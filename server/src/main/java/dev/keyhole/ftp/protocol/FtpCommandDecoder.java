package dev.keyhole.ftp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Splits the control stream into command lines and strips Telnet commands (RFC 854, RFC 1123
 * 4.1.2.12): {@code IAC IAC} is a data byte 0xFF, option negotiation ({@code IAC WILL|WONT|DO|DONT x})
 * and two-byte commands such as {@code IAC IP} or {@code IAC DM} are dropped. A line ends at LF,
 * with an optional CR before it. A line longer than the limit produces one {@link OverlongLine} and
 * is discarded up to its end, so the session goes on. Lines are UTF-8 (RFC 2640), falling back to
 * ISO-8859-1 for clients that send legacy 8-bit names.
 *
 * <p>After a line whose verb is one of the pause verbs (SPDT on a server), the decoder decodes
 * nothing more until {@link #resume} is called: the bytes that follow may be data, not commands.
 * Removing the decoder from the pipeline hands those bytes to the next handler.
 */
public final class FtpCommandDecoder extends ByteToMessageDecoder {

  /** The default maximum line length in bytes, as vsftpd's and more than any path needs. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 4096;

  /** Bytes a paused decoder holds before it gives up on the peer. */
  static final int MAX_PAUSED_BYTES = 1 << 20;

  private final int maxLineLength;
  private final Set<String> pauseVerbs;
  private boolean paused;
  private byte[] line = new byte[128];
  private int length;
  private boolean discarding;
  // the server ignores negotiation without an answer (SessionTest.telnetNegotiationIsIgnored); the ALG refuses it
  private final Telnet telnet = new Telnet(false);

  public FtpCommandDecoder() {
    this(DEFAULT_MAX_LINE_LENGTH);
  }

  public FtpCommandDecoder(int maxLineLength) {
    this(maxLineLength, Set.of());
  }

  /** A decoder that pauses after a line with one of {@code pauseVerbs}. */
  public FtpCommandDecoder(int maxLineLength, Set<String> pauseVerbs) {
    if (maxLineLength < 16) {
      throw new IllegalArgumentException("maxLineLength must be at least 16: " + maxLineLength);
    }
    this.maxLineLength = maxLineLength;
    this.pauseVerbs = Set.copyOf(pauseVerbs);
  }

  /** Decodes again after a pause, starting with the bytes that arrived meanwhile. Call on the event loop. */
  public void resume(ChannelHandlerContext ctx) {
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
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (paused) {
      if (in.readableBytes() > MAX_PAUSED_BYTES) {
        in.skipBytes(in.readableBytes());
        ctx.close();
      }
      return;
    }
    while (in.isReadable() && !paused) {
      int b = telnet.filter(ctx, in.readUnsignedByte());
      if (b >= 0) {
        data(b, out);
      }
    }
  }

  private void data(int b, List<Object> out) {
    if (b == '\n') {
      if (discarding) {
        discarding = false;
      } else {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        var command = command(line, end);
        out.add(command);
        paused = pauseVerbs.contains(command.verb());
      }
      length = 0;
      return;
    }
    if (discarding) {
      return;
    }
    if (length == maxLineLength) {
      discarding = true;
      length = 0;
      out.add(new OverlongLine(maxLineLength));
      return;
    }
    if (length == line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineLength, line.length * 2));
    }
    line[length++] = (byte) b;
  }

  /**
   * The command on {@code bytes[0, len)}: a known verb becomes its constant and only the argument
   * a string, so that a command costs the decoder its argument and itself; anything else is
   * parsed from the whole line as {@link FtpCommand#parse} does.
   */
  private static FtpCommand command(byte[] bytes, int len) {
    int space = -1;
    for (int i = 0; i < len; i++) {
      if (bytes[i] == ' ') {
        space = i;
        break;
      }
    }
    String verb = FtpCommand.knownVerb(bytes, 0, space < 0 ? len : space);
    if (verb == null) {
      return FtpCommand.parse(text(bytes, 0, len));
    }
    return new FtpCommand(verb, space < 0 ? "" : text(bytes, space + 1, len));
  }

  private static String text(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] < 0) {
        return decodeNonAscii(bytes, from, to);
      }
    }
    return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
  }

  private static String decodeNonAscii(byte[] bytes, int from, int to) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }
}
