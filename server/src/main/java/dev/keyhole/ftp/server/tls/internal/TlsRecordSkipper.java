package dev.keyhole.ftp.server.tls.internal;

import dev.keyhole.ftp.transport.KeyholePipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * After CCC, drops whole TLS records (a client's close_notify, which TLS 1.3 sends as an
 * application-data record) that arrive before the first clear-text command, then removes itself.
 * A record starts with a content type from 20 to 23 and the major version 3; a command line
 * starts with a letter, so the two cannot be confused.
 */
final class TlsRecordSkipper extends ByteToMessageDecoder {

  static final String NAME = KeyholePipeline.TLS_RECORD_SKIPPER;
  private static final int HEADER = 5;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int type = in.getUnsignedByte(in.readerIndex());
      if (type < 20 || type > 23) {
        ctx.pipeline().remove(this);
        return;
      }
      if (in.readableBytes() < HEADER) {
        return;
      }
      if (in.getUnsignedByte(in.readerIndex() + 1) != 3) {
        ctx.pipeline().remove(this);
        return;
      }
      int length = in.getUnsignedShort(in.readerIndex() + 3);
      if (in.readableBytes() < HEADER + length) {
        return;
      }
      in.skipBytes(HEADER + length);
    }
  }
}
