package dev.keyhole.ftp.protocol;

import io.netty.channel.ChannelHandlerContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decodes the control stream into {@link FtpCommand}s (and {@link OverlongLine} for a line over
 * the limit), on the one {@link LineSplitter}: Telnet negotiation is dropped unanswered, as the
 * server and the client do. Lines are UTF-8 (RFC 2640), falling back to ISO-8859-1 for clients
 * that send legacy 8-bit names.
 */
public final class FtpCommandDecoder extends LineSplitter {

  /** A decoder with the default line limit that never pauses. */
  public FtpCommandDecoder() {
    this(DEFAULT_MAX_LINE_LENGTH);
  }

  /** A decoder with this line limit (bytes, without CR LF) that never pauses. */
  public FtpCommandDecoder(int maxLineLength) {
    this(maxLineLength, Set.of());
  }

  /** A decoder that pauses after a line with one of {@code pauseVerbs}. */
  public FtpCommandDecoder(int maxLineLength, Set<String> pauseVerbs) {
    // the server ignores negotiation without an answer (SessionTest.telnetNegotiationIsIgnored); the ALG refuses it
    super(maxLineLength, pauseVerbs, false);
  }

  @Override
  protected Object line(byte[] bytes, int end, int total) {
    return command(bytes, end);
  }

  @Override
  protected Object overlong(ChannelHandlerContext ctx) {
    return new OverlongLine(maxLineLength());
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
