package dev.keyhole.ftp.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decodes what a client sends into {@link ControlLine}s, each kept byte for byte with its
 * terminator, on the one {@link LineSplitter}: what a gateway does not translate passes through
 * unchanged. A line over the limit is answered {@code 500} by the decoder itself and never relayed;
 * Telnet negotiation is refused, never relayed (RFC 6384 section 4).
 */
public final class ControlLineDecoder extends LineSplitter {

  private static final byte[] TOO_LONG = "500 Command line too long.\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * @param maxLineLength the longest line in bytes, without its CR LF
   * @param pauseAfterSpdt stop decoding after a line that starts with SPDT: what follows it may be
   *     data (draft-rosenau-ftp-single-port section 3.2), which the decoder hands on untouched when
   *     it is removed
   */
  public ControlLineDecoder(int maxLineLength, boolean pauseAfterSpdt) {
    super(maxLineLength, pauseAfterSpdt ? Set.of("SPDT") : Set.of(), true);
  }

  @Override
  protected Object line(byte[] bytes, int end, int total) {
    return new ControlLine(Arrays.copyOf(bytes, total));
  }

  @Override
  protected @Nullable Object overlong(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_LONG));
    return null;
  }
}
