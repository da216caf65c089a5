package dev.keyhole.ftp.alg.codec;

import dev.keyhole.ftp.protocol.Telnet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Splits what the client sends into {@link ControlLine}s, each kept byte for byte with its
 * terminator. A line longer than the limit is answered {@code 500} by the decoder itself and
 * dropped up to its end, so that it is never relayed. Telnet negotiation is refused ({@link Telnet}).
 */
public final class CommandLineDecoder extends ByteToMessageDecoder {

  private static final byte[] TOO_LONG = "500 Command line too long.\r\n".getBytes(StandardCharsets.US_ASCII);

  private final int maxLineLength;
  private final boolean pauseAfterSpdt;
  private final Telnet telnet = new Telnet(true);
  private boolean paused;
  private byte[] line = new byte[128];
  private int length;
  private boolean discarding;

  /**
   * @param pauseAfterSpdt stop decoding after a line that starts with SPDT: what follows it may be
   *     data (draft-rosenau-ftp-single-port section 3.2), which the decoder hands on untouched when
   *     it is removed
   */
  public CommandLineDecoder(int maxLineLength, boolean pauseAfterSpdt) {
    this.maxLineLength = maxLineLength;
    this.pauseAfterSpdt = pauseAfterSpdt;
  }

  /** Decodes again after a pause (an SPDT that was refused), the bytes that came meanwhile first. */
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
    while (in.isReadable() && !ctx.isRemoved() && !paused) {
      int b = telnet.filter(ctx, in.readUnsignedByte());
      if (b < 0) {
        continue;
      }
      if (discarding) {
        discarding = b != '\n';
        continue;
      }
      if (length >= maxLineLength + 2) {
        // the limit counts the line without its CRLF
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_LONG));
        length = 0;
        discarding = b != '\n';
        continue;
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, Math.min(maxLineLength + 2, line.length * 2));
      }
      line[length++] = (byte) b;
      if (b == '\n') {
        var command = new ControlLine(Arrays.copyOf(line, length));
        out.add(command);
        length = 0;
        paused = pauseAfterSpdt && command.verb().equals("SPDT");
        // one line at a time: the session may change the pipeline (transparent mode, SPDT) after it
        return;
      }
    }
  }
}
