package dev.keyhole.ftp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the control stream into command lines and strips Telnet commands (RFC 854, RFC 1123
 * 4.1.2.12): {@code IAC IAC} is a data byte 0xFF, option negotiation ({@code IAC WILL|WONT|DO|DONT x})
 * and two-byte commands such as {@code IAC IP} or {@code IAC DM} are dropped. A line ends at LF,
 * with an optional CR before it. A line longer than the limit produces one {@link OverlongLine} and
 * is discarded up to its end, so the session goes on. Lines are UTF-8 (RFC 2640), falling back to
 * ISO-8859-1 for clients that send legacy 8-bit names.
 */
public final class FtpCommandDecoder extends ByteToMessageDecoder {

  /** The default maximum line length in bytes, as vsftpd's and more than any path needs. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 4096;

  private static final int IAC = 0xFF;
  private static final int SB = 250;
  private static final int SE = 240;
  private static final int WILL = 251;
  private static final int DONT = 254;

  private enum TelnetState { DATA, IAC, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC }

  private final int maxLineLength;
  private byte[] line = new byte[128];
  private int length;
  private boolean discarding;
  private TelnetState telnet = TelnetState.DATA;

  public FtpCommandDecoder() {
    this(DEFAULT_MAX_LINE_LENGTH);
  }

  public FtpCommandDecoder(int maxLineLength) {
    if (maxLineLength < 16) {
      throw new IllegalArgumentException("maxLineLength must be at least 16: " + maxLineLength);
    }
    this.maxLineLength = maxLineLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int b = in.readUnsignedByte();
      switch (telnet) {
        case DATA -> {
          if (b == IAC) {
            telnet = TelnetState.IAC;
          } else {
            data(b, out);
          }
        }
        case IAC -> {
          if (b == IAC) {
            telnet = TelnetState.DATA;
            data(b, out);
          } else if (b >= WILL && b <= DONT) {
            telnet = TelnetState.OPTION;
          } else if (b == SB) {
            telnet = TelnetState.SUBNEGOTIATION;
          } else {
            telnet = TelnetState.DATA; // IP, DM, AYT, NOP...: a command of two bytes
          }
        }
        case OPTION -> telnet = TelnetState.DATA;
        case SUBNEGOTIATION -> {
          if (b == IAC) {
            telnet = TelnetState.SUBNEGOTIATION_IAC;
          }
        }
        case SUBNEGOTIATION_IAC ->
            telnet = b == SE ? TelnetState.DATA : TelnetState.SUBNEGOTIATION;
      }
    }
  }

  private void data(int b, List<Object> out) {
    if (b == '\n') {
      if (discarding) {
        discarding = false;
      } else {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        out.add(FtpCommand.parse(text(line, end)));
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

  private static String text(byte[] bytes, int len) {
    for (int i = 0; i < len; i++) {
      if (bytes[i] < 0) {
        return decodeNonAscii(bytes, len);
      }
    }
    return new String(bytes, 0, len, StandardCharsets.US_ASCII);
  }

  private static String decodeNonAscii(byte[] bytes, int len) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, len))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
  }
}
