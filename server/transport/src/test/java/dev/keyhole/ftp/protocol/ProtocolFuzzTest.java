package dev.keyhole.ftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Fuzz targets for the wire codec: whatever bytes a peer sends, the decoders answer with values or
 * a decoder error, never another exception, and the address formats parse or refuse. In {@code mvn
 * verify} the committed inputs ({@code ProtocolFuzzTestInputs/}) run as regression tests; {@code
 * ./keyhole fuzz} runs the fuzzer (docs/security.md).
 */
class ProtocolFuzzTest {

  /** The command decoder, fed in chunks the fuzzer chooses: commands or overlong-line markers only. */
  @FuzzTest
  void commandDecoder(FuzzedDataProvider data) {
    int max = data.consumeInt(16, 4096);
    var channel = new EmbeddedChannel(new FtpCommandDecoder(max));
    while (data.remainingBytes() > 0) {
      byte[] chunk = data.consumeBytes(data.consumeInt(1, 512));
      channel.writeInbound(Unpooled.wrappedBuffer(chunk));
      Object out;
      while ((out = channel.readInbound()) != null) {
        assertThat(out).isInstanceOfAny(FtpCommand.class, OverlongLine.class);
        if (out instanceof FtpCommand command) {
          // a CR inside a line is data (RFC 959: CR NUL in names), an unknown verb at worst
          assertThat(command.verb()).doesNotContain("\n", " ");
          // the verb is upper-cased, which can lengthen it ("ß" becomes "SS"): the argument is as sent
          assertThat(command.argument().length()).isLessThanOrEqualTo(max);
        }
      }
    }
    channel.finishAndReleaseAll();
  }

  /** The client's reply decoder: replies, or a decoder error for what is no reply. */
  @FuzzTest
  void replyDecoder(byte[] bytes) {
    var channel = new EmbeddedChannel(new FtpReplyDecoder(512, 64));
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes));
      Object out;
      while ((out = channel.readInbound()) != null) {
        assertThat(out).isInstanceOf(FtpReply.class);
        var reply = (FtpReply) out;
        assertThat(reply.code()).isBetween(100, 599);
        assertThat(reply.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(64);
        ReferenceCountUtil.release(out);
      }
    } catch (DecoderException expected) {
      // not a reply: the connection is closed, as it should be
    } finally {
      finish(channel);
    }
  }

  /** Ends the input; a reply cut off at the end is a decoder error too. */
  static void finish(EmbeddedChannel channel) {
    try {
      channel.finishAndReleaseAll();
    } catch (DecoderException expected) {
      // the stream ended inside a reply
    }
  }

  /** PORT, EPRT, 227 and 229 texts: parsed into a usable address, or refused; what parses formats back. */
  @FuzzTest
  void addressFormats(@NotNull String text) {
    AddressFormats.parseHostPort(text).ifPresent(address -> {
      assertThat(address.getPort()).isBetween(0, 65535);
      if (address.getAddress() instanceof java.net.Inet4Address v4) {
        assertThat(AddressFormats.parseHostPort(AddressFormats.formatHostPort(v4, address.getPort()))).contains(address);
      }
    });
    if (AddressFormats.parseEprt(text) instanceof AddressFormats.EprtArgument.Address a) {
      InetSocketAddress address = a.address();
      assertThat(address.getPort()).isBetween(1, 65535);
      assertThat(AddressFormats.parseEprt(AddressFormats.formatEprt(address)))
          .isEqualTo(new AddressFormats.EprtArgument.Address(address));
    }
    AddressFormats.parseEpsvReply(text).ifPresent(port -> {
      assertThat(port).isBetween(1, 65535);
      assertThat(AddressFormats.parseEpsvReply(AddressFormats.formatEpsvReply(port))).contains(port);
    });
  }

  /** Reply text escaping: whatever a name holds, an escaped line has no CR LF and no bare LF. */
  @FuzzTest
  void replyEscaping(@NotNull String line) {
    String escaped = FtpReply.escape(line);
    assertThat(escaped).doesNotContain("\n").doesNotContain("\r\n");
    ByteBuf wire = Unpooled.buffer();
    try {
      var channel = new EmbeddedChannel(FtpReplyEncoder.INSTANCE);
      channel.writeOutbound(FtpReply.of(213, line));
      ByteBuf out = channel.readOutbound();
      wire.writeBytes(out);
      out.release();
      String text = wire.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    } finally {
      wire.release();
    }
  }
}
