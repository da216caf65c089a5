package dev.keyhole.ftp.server.data;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Line-end conversion for TYPE A (RFC 959 3.1.1.1): the network form ends lines with CRLF, the
 * stored form with LF. Instances keep the state of a CR that ended the previous chunk, so one
 * instance serves one transfer.
 */
public final class AsciiConverter {

  private boolean lastWasCr;

  /** Stored to network: a LF not preceded by CR becomes CRLF. */
  public byte[] toNetwork(ByteBuffer in) {
    byte[] out = new byte[in.remaining() * 2];
    int n = 0;
    while (in.hasRemaining()) {
      byte b = in.get();
      if (b == '\n' && !lastWasCr) {
        out[n++] = '\r';
      }
      out[n++] = b;
      lastWasCr = b == '\r';
    }
    return Arrays.copyOf(out, n);
  }

  /** Network to stored: CRLF becomes LF; a CR not followed by LF is kept. */
  public ByteBuffer fromNetwork(ByteBuf in) {
    byte[] out = new byte[in.readableBytes() + 1];
    int n = 0;
    while (in.isReadable()) {
      byte b = in.readByte();
      if (lastWasCr) {
        lastWasCr = false;
        if (b != '\n') {
          out[n++] = '\r';
        }
      }
      if (b == '\r') {
        lastWasCr = true;
      } else {
        out[n++] = b;
      }
    }
    return ByteBuffer.wrap(out, 0, n);
  }

  /** What is left at the end of an upload: a final CR that no LF followed. */
  public ByteBuffer finish() {
    if (lastWasCr) {
      lastWasCr = false;
      return ByteBuffer.wrap(new byte[] {'\r'});
    }
    return ByteBuffer.allocate(0);
  }
}
