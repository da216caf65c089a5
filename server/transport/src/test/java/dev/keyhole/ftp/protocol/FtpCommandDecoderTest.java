package dev.keyhole.ftp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FtpCommandDecoderTest {

  private static List<Object> decode(EmbeddedChannel ch, byte[]... chunks) {
    for (byte[] chunk : chunks) {
      ch.writeInbound(Unpooled.wrappedBuffer(chunk));
    }
    var out = new ArrayList<Object>();
    Object o;
    while ((o = ch.readInbound()) != null) {
      out.add(o);
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesCrlfAndBareLfLines() {
    var ch = new EmbeddedChannel(new FtpCommandDecoder());
    assertThat(decode(ch, bytes("user alice\r\nNOOP\nRETR my file.txt\r\n")))
        .containsExactly(new FtpCommand("USER", "alice"), new FtpCommand("NOOP", ""),
            new FtpCommand("RETR", "my file.txt"));
  }

  @Test
  void linesSplitAtEveryByteAreReassembled() {
    var ch = new EmbeddedChannel(new FtpCommandDecoder());
    byte[] all = bytes("STOR a b\r\nPWD\r\n");
    var out = new ArrayList<Object>();
    for (byte b : all) {
      out.addAll(decode(ch, new byte[] {b}));
    }
    assertThat(out).containsExactly(new FtpCommand("STOR", "a b"), new FtpCommand("PWD", ""));
  }

  @Test
  void telnetCommandsAreStrippedAndIacIacIsData() {
    var ch = new EmbeddedChannel(new FtpCommandDecoder());
    // IAC IP IAC DM before ABOR (RFC 959 4.1.3), IAC WILL x negotiation, IAC IAC inside a name
    byte[] line = {(byte) 0xFF, (byte) 0xF4, (byte) 0xFF, (byte) 0xF2, 'A', 'B', 'O', 'R', '\r', '\n',
        (byte) 0xFF, (byte) 0xFB, 0x18, 'N', 'O', 'O', 'P', '\r', '\n',
        'D', 'E', 'L', 'E', ' ', 'x', (byte) 0xFF, (byte) 0xFF, '\r', '\n'};
    var out = decode(ch, line);
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isEqualTo(new FtpCommand("ABOR", ""));
    assertThat(out.get(1)).isEqualTo(new FtpCommand("NOOP", ""));
    // 0xFF alone is not valid UTF-8: the decoder falls back to ISO-8859-1
    assertThat(out.get(2)).isEqualTo(new FtpCommand("DELE", "x\u00FF"));
  }

  @Test
  void iacSplitAcrossBuffersIsHandled() {
    var ch = new EmbeddedChannel(new FtpCommandDecoder());
    var out = decode(ch, new byte[] {'N', 'O', (byte) 0xFF}, new byte[] {(byte) 0xFD}, new byte[] {0x01, 'O', 'P', '\n'});
    assertThat(out).containsExactly(new FtpCommand("NOOP", ""));
  }

  @Test
  void overlongLineGivesOneMarkerAndTheNextLineStillDecodes() {
    var ch = new EmbeddedChannel(new FtpCommandDecoder(64));
    String longLine = "RETR " + "x".repeat(200) + "\r\n";
    var out = decode(ch, bytes(longLine.substring(0, 100)), bytes(longLine.substring(100) + "NOOP\r\n"));
    assertThat(out).containsExactly(new OverlongLine(64), new FtpCommand("NOOP", ""));
  }

  @Test
  void utf8PathsAreDecoded() {
    var ch = new EmbeddedChannel(new FtpCommandDecoder());
    assertThat(decode(ch, bytes("CWD Übersicht/日本\r\n"))).containsExactly(new FtpCommand("CWD", "Übersicht/日本"));
  }

  @Test
  void knownVerbsInAnyCaseAndUnknownOnesDecodeAsTheWholeLineWould() {
    var ch = new EmbeddedChannel(new FtpCommandDecoder());
    String lines = "rEtR a.txt\r\nmkd \r\nXyZzY some arg\r\nCCC\r\nRETRX a\r\nRE1R a\r\n  NOOP  \r\n"
        + "AB\r\nstor latin1-\u00e9\r\n";
    var expected = new ArrayList<FtpCommand>();
    for (String line : lines.split("\r\n")) {
      expected.add(FtpCommand.parse(line));
    }
    byte[] input = lines.getBytes(StandardCharsets.ISO_8859_1); // the last line's name is not UTF-8
    assertThat(decode(ch, input)).containsExactlyElementsOf(expected);
    // the known verbs are the constants, whatever case they came in
    assertThat(FtpCommand.knownVerb(bytes("rEtR"), 0, 4)).isSameAs("RETR");
    assertThat(FtpCommand.knownVerb(bytes("ccc"), 0, 3)).isSameAs("CCC");
    assertThat(FtpCommand.knownVerb(bytes("RE1R"), 0, 4)).isNull();
    assertThat(FtpCommand.knownVerb(bytes("XYZZY"), 0, 5)).isNull();
  }

  @Test
  void passwordIsMaskedInLogs() {
    assertThat(FtpCommand.parse("PASS hunter2").toLogString()).isEqualTo("PASS ****");
  }
}
