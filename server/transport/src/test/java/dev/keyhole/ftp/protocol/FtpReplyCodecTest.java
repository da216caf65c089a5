package dev.keyhole.ftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FtpReplyCodecTest {

  @Test
  void singleLineReplyIsEncodedWithCrlf() {
    var ch = new EmbeddedChannel(FtpReplyEncoder.INSTANCE);
    ch.writeOutbound(FtpReply.of(220, "ready"));
    ByteBuf out = ch.readOutbound();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("220 ready\r\n");
    out.release();
  }

  @Test
  void multiLineReplyIndentsMiddleLinesThatStartWithDigits() {
    var reply = FtpReply.multi(211, List.of("Features:", " EPSV", "123 looks like an end", "End"));
    assertThat(reply.toWire()).isEqualTo("211-Features:\r\n EPSV\r\n 123 looks like an end\r\n211 End\r\n");
  }

  @Test
  void encoderWritesWhatToWireSays() {
    var ch = new EmbeddedChannel(FtpReplyEncoder.INSTANCE);
    for (var reply : List.of(FtpReply.of(226, "Transfer complete."),
        FtpReply.multi(211, List.of("Features:", " EPSV", "123 digit", "", "Grüße", "End")))) {
      ch.writeOutbound(reply);
      ByteBuf out = ch.readOutbound();
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(reply.toWire());
      out.release();
    }
  }

  @Test
  void multiLineReplyDecodesAsOneValueEvenByteByByte() {
    var ch = new EmbeddedChannel(new FtpReplyDecoder());
    byte[] wire = "220-Welcome\r\n to keyhole\r\n220 ready\r\n331 Password\r\n".getBytes(StandardCharsets.UTF_8);
    for (byte b : wire) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    var replies = new ArrayList<FtpReply>();
    FtpReply r;
    while ((r = ch.readInbound()) != null) {
      replies.add(r);
    }
    assertThat(replies).containsExactly(
        FtpReply.multi(220, List.of("Welcome", " to keyhole", "ready")),
        FtpReply.of(331, "Password"));
  }

  @Test
  void encodedRepliesDecodeToThemselves() {
    var reply = FtpReply.multi(250, List.of("Listing /a", " type=file;size=3; /a", "End."));
    var ch = new EmbeddedChannel(new FtpReplyDecoder());
    ch.writeInbound(Unpooled.copiedBuffer(reply.toWire(), StandardCharsets.UTF_8));
    assertThat((FtpReply) ch.readInbound()).isEqualTo(reply);
  }
}
