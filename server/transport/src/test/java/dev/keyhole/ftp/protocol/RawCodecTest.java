package dev.keyhole.ftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ALG's control codec with {@code EmbeddedChannel}: split input, Telnet, limits, byte fidelity. */
class RawCodecTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static <T> List<T> feedByteByByte(EmbeddedChannel channel, byte[] input, Class<T> type) {
    for (byte b : input) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    var out = new ArrayList<T>();
    Object m;
    while ((m = channel.readInbound()) != null) {
      out.add(type.cast(m));
    }
    return out;
  }

  private static String written(EmbeddedChannel channel) {
    var sb = new StringBuilder();
    Object m;
    while ((m = channel.readOutbound()) != null) {
      var buf = (ByteBuf) m;
      sb.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    return sb.toString();
  }

  @Test
  void commandLinesKeepEveryByteEvenSplitOneByOne() {
    var channel = new EmbeddedChannel(new ControlLineDecoder(4096, false));
    // a Latin-1 path, a lower-case verb, two spaces, a bare LF: all relayed as they came
    byte[] input = bytes("retr  caf\u00e9.txt\r\nNOOP\nstor x\r\n");
    var lines = feedByteByByte(channel, input, ControlLine.class);
    assertThat(lines).extracting(l -> new String(l.raw(), StandardCharsets.ISO_8859_1))
        .containsExactly("retr  caf\u00e9.txt\r\n", "NOOP\n", "stor x\r\n");
    assertThat(lines.get(0).verb()).isEqualTo("RETR");
    assertThat(lines.get(0).argument()).isEqualTo(" caf\u00e9.txt");
  }

  @Test
  void telnetNegotiationIsRefusedNotRelayed() {
    var channel = new EmbeddedChannel(new ControlLineDecoder(4096, false));
    // IAC WILL 1 (echo), IAC DO 3, IAC IP, IAC DM, then ABOR; IAC IAC is a 255 data byte
    byte[] input = {(byte) 255, (byte) 251, 1, (byte) 255, (byte) 253, 3, (byte) 255, (byte) 244, (byte) 255,
        (byte) 242, 'A', 'B', 'O', 'R', '\r', '\n', 'X', (byte) 255, (byte) 255, '\r', '\n'};
    var lines = feedByteByByte(channel, input, ControlLine.class);
    assertThat(lines).extracting(ControlLine::text).containsExactly("ABOR", "X\u00ff");
    byte[] refused = bytes(written(channel));
    assertThat(refused).containsExactly((byte) 255, (byte) 254, 1, (byte) 255, (byte) 252, 3);
  }

  @Test
  void anOverlongLineIsAnswered500AndNeverRelayed() {
    var channel = new EmbeddedChannel(new ControlLineDecoder(32, false));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("STOR " + "a".repeat(100) + "\r\nPWD\r\n")));
    ControlLine first = channel.readInbound();
    assertThat(first.text()).isEqualTo("PWD");
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(written(channel)).isEqualTo("500 Command line too long.\r\n");
  }

  @Test
  void aGatewayDecoderStopsAfterSpdtSoThatDataStaysData() {
    var decoder = new ControlLineDecoder(4096, true);
    var channel = new EmbeddedChannel(decoder);
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("SPDT abc\r\nNOT A COMMAND\r\n")));
    ControlLine spdt = channel.readInbound();
    assertThat(spdt.verb()).isEqualTo("SPDT");
    assertThat((Object) channel.readInbound()).isNull();
    channel.pipeline().remove(decoder);
    ByteBuf rest = channel.readInbound();
    assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("NOT A COMMAND\r\n");
    rest.release();
  }

  @Test
  void multiLineRepliesAreOneBlockWhateverTheSplit() {
    var channel = new EmbeddedChannel(new ReplyBlockDecoder());
    // a line with the code and a hyphen, or indented, does not end it (RFC 959 4.2)
    String feat = "211-Features:\r\n EPSV\r\n211-still going\r\n 211 indented\r\n MLST size*;\r\n211 End\r\n";
    String pasv = "227-Entering Passive Mode\r\n227 (127,0,0,1,4,1)\r\n";
    var replies = feedByteByByte(channel, bytes("220 hi\r\n" + feat + pasv + "150\r\n"), ReplyBlock.class);
    assertThat(replies).extracting(ReplyBlock::code).containsExactly(220, 211, 227, 150);
    assertThat(new String(replies.get(1).raw(), StandardCharsets.ISO_8859_1)).isEqualTo(feat);
    assertThat(replies.get(1).lines()).hasSize(6);
    assertThat(replies.get(2).text()).contains("(127,0,0,1,4,1)");
  }
}
