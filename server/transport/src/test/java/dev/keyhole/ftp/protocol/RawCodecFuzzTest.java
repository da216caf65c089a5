package dev.keyhole.ftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/** Fuzz targets for the ALG's codecs: replies from any server and commands from any client. */
class RawCodecFuzzTest {

  /** Reply blocks: each ends with its code's last line; what is no reply is a decoder error. */
  @FuzzTest
  void replyBlocks(FuzzedDataProvider data) {
    var channel = new EmbeddedChannel(new ReplyBlockDecoder());
    try {
      while (data.remainingBytes() > 0) {
        channel.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 256))));
        Object out;
        while ((out = channel.readInbound()) != null) {
          var block = (ReplyBlock) out;
          assertThat(block.code()).isBetween(0, 999);
          String last = block.lines().get(block.lines().size() - 1);
          assertThat(last).startsWith(String.format("%03d", block.code()));
          assertThat(last.length() == 3 || last.charAt(3) == ' ').as("last line %s", last).isTrue();
        }
      }
    } catch (DecoderException expected) {
      // not a reply: the ALG closes the session
    } finally {
      try {
        channel.finishAndReleaseAll();
      } catch (DecoderException expected) {
        // the stream ended inside a line or a reply
      }
    }
  }

  /** Command lines from clients: lines, or a decoder error for an overlong one. */
  @FuzzTest
  void commandLines(FuzzedDataProvider data) {
    var channel = new EmbeddedChannel(new ControlLineDecoder(data.consumeInt(16, 1024), data.consumeBoolean()));
    try {
      while (data.remainingBytes() > 0) {
        channel.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 256))));
        Object out;
        while ((out = channel.readInbound()) != null) {
          assertThat(out).isInstanceOfAny(ControlLine.class, io.netty.buffer.ByteBuf.class);
          io.netty.util.ReferenceCountUtil.release(out);
        }
      }
    } catch (DecoderException expected) {
      // an overlong line: the ALG answers 500 or closes
    } finally {
      try {
        channel.finishAndReleaseAll();
      } catch (DecoderException expected) {
        // the stream ended inside a line or a reply
      }
    }
  }
}
