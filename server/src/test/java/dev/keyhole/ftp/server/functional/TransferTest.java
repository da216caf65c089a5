package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Downloads and uploads through Commons Net over every data-channel kind, compared by SHA-256. */
class TransferTest {

  private TestServer server;
  private FTPClient client;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      ClientMode.quit(client);
    }
    server.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void retrSendsTheFileByteForByte(ClientMode mode) throws Exception {
    var file = server.randomFile("pub/data.bin", 3 * 1024 * 1024 + 17);
    client = mode.connect(server);
    var out = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("/pub/data.bin", out)).as(client.getReplyString()).isTrue();
    assertThat(TestServer.sha256(out.toByteArray())).isEqualTo(TestServer.sha256(file));
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void storWritesTheFileByteForByte(ClientMode mode) throws Exception {
    byte[] data = random(2 * 1024 * 1024 + 5, 7);
    client = mode.connect(server);
    assertThat(client.storeFile("up.bin", new ByteArrayInputStream(data))).as(client.getReplyString()).isTrue();
    assertThat(TestServer.sha256(server.root().resolve("up.bin"))).isEqualTo(TestServer.sha256(data));
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void emptyFilesTransferBothWays(ClientMode mode) throws Exception {
    client = mode.connect(server);
    assertThat(client.storeFile("empty", new ByteArrayInputStream(new byte[0]))).isTrue();
    assertThat(Files.size(server.root().resolve("empty"))).isZero();
    var out = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("empty", out)).isTrue();
    assertThat(out.size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void appeAppendsAndStouPicksAFreeName(ClientMode mode) throws Exception {
    Files.writeString(server.root().resolve("log.txt"), "one\n");
    client = mode.connect(server);
    assertThat(client.appendFile("log.txt", new ByteArrayInputStream("two\n".getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(Files.readString(server.root().resolve("log.txt"))).isEqualTo("one\ntwo\n");

    assertThat(client.storeUniqueFile("log.txt", new ByteArrayInputStream("three".getBytes(StandardCharsets.UTF_8))))
        .as(client.getReplyString()).isTrue();
    assertThat(client.getReplyString()).startsWith("226").contains("log.txt.1");
    assertThat(Files.readString(server.root().resolve("log.txt.1"))).isEqualTo("three");
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void retrResumesAtRestOffset(ClientMode mode) throws Exception {
    var file = server.randomFile("resume.bin", 1_000_000);
    byte[] all = Files.readAllBytes(file);
    client = mode.connect(server);
    client.setRestartOffset(400_000);
    var out = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("resume.bin", out)).isTrue();
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(all, 400_000, all.length));
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void storResumesAtRestOffset(ClientMode mode) throws Exception {
    byte[] data = random(600_000, 3);
    Files.write(server.root().resolve("partial.bin"), Arrays.copyOf(data, 250_000));
    client = mode.connect(server);
    client.setRestartOffset(250_000);
    assertThat(client.storeFile("partial.bin",
        new ByteArrayInputStream(Arrays.copyOfRange(data, 250_000, data.length)))).as(client.getReplyString()).isTrue();
    assertThat(TestServer.sha256(server.root().resolve("partial.bin"))).isEqualTo(TestServer.sha256(data));
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void asciiModeConvertsLineEndsBothWays(ClientMode mode) throws Exception {
    Files.writeString(server.root().resolve("unix.txt"), "a\nb\r\nc\n");
    client = mode.connect(server);
    // TYPE A on the server only: Commons Net would convert the network form back to local line ends
    assertThat(client.sendCommand("TYPE", "A")).isEqualTo(200);
    var raw = client.retrieveFileStream("unix.txt");
    byte[] wire = raw.readAllBytes();
    raw.close();
    assertThat(client.completePendingCommand()).isTrue();
    assertThat(new String(wire, StandardCharsets.US_ASCII)).isEqualTo("a\r\nb\r\nc\r\n");

    var up = client.storeFileStream("dos.txt");
    up.write("x\r\ny\r\nbare\rcr\r\n".getBytes(StandardCharsets.US_ASCII));
    up.close();
    assertThat(client.completePendingCommand()).isTrue();
    assertThat(Files.readString(server.root().resolve("dos.txt"))).isEqualTo("x\ny\nbare\rcr\n");
  }

  @Test
  void streamedDownloadsReachASlowReaderWhole() throws Exception {
    // ASCII downloads and listings are streamed, not sent as a file region: their last buffers
    // must not be lost when the connection closes while a slow reader still has them queued
    var text = new StringBuilder();
    for (int i = 0; text.length() < 3_000_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    Files.writeString(server.root().resolve("big.txt"), text);
    for (int i = 0; i < 300; i++) {
      Files.writeString(server.root().resolve("entry-" + i + ".txt"), "x");
    }
    client = ClientMode.PASV.connect(server);
    client.setFileType(FTP.ASCII_FILE_TYPE);
    try (var in = client.retrieveFileStream("big.txt")) {
      byte[] chunk = new byte[8192];
      long total = 0;
      int n;
      int reads = 0;
      while ((n = in.read(chunk)) >= 0) {
        total += n;
        if (++reads % 16 == 0) {
          Thread.sleep(2);
        }
      }
      assertThat(total).isEqualTo(text.length()); // Commons Net turns CRLF back into LF
    }
    assertThat(client.completePendingCommand()).as(client.getReplyString()).isTrue();
    assertThat(client.listNames()).hasSize(301);
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void retrWithoutDataChannelSetupIsRefusedAndMissingFileIs550(ClientMode mode) throws Exception {
    server.randomFile("f", 10);
    client = mode.connect(server);
    assertThat(client.sendCommand("RETR", "f")).isEqualTo(425);
    assertThat(client.retrieveFile("missing", new ByteArrayOutputStream())).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);
  }
}
