package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Navigation and file management through Commons Net. */
class FileCommandsTest {

  private TestServer server;
  private FTPClient client;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    client = ClientMode.PASV.connect(server);
  }

  @AfterEach
  void stop() throws Exception {
    ClientMode.quit(client);
    server.close();
  }

  @Test
  void loginsLogoutsAndChangesAreLoggedWithTheClientsAddressAndUser() throws Exception {
    try (var log = LogCapture.attachInfo(dev.keyhole.ftp.server.command.auth.PassHandler.class,
        dev.keyhole.ftp.server.handler.CommandContext.class, dev.keyhole.ftp.server.listen.ControlLoop.class)) {
      var ftp = ClientMode.PASV.connect(server);
      String from = "from 127.0.0.1:" + ftp.getLocalPort();
      Files.writeString(server.root().resolve("old.txt"), "x");
      assertThat(ftp.makeDirectory("d")).isTrue();
      assertThat(ftp.rename("old.txt", "new.txt")).isTrue();
      assertThat(ftp.deleteFile("new.txt")).isTrue();
      assertThat(ftp.removeDirectory("d")).isTrue();
      ClientMode.quit(ftp);
      var mine = new java.util.ArrayList<String>();
      for (int i = 0; i < 50 && mine.stream().noneMatch(l -> l.contains("logged out")); i++) {
        Thread.sleep(20);
        mine.clear();
        log.lines().stream().filter(l -> l.contains(from + ":") || l.contains(from + " ")).forEach(mine::add);
      }
      assertThat(mine).anyMatch(l -> l.endsWith(from + ": user logged in"))
          .anyMatch(l -> l.endsWith(from + " (user): made directory /d"))
          .anyMatch(l -> l.endsWith(from + " (user): renamed /old.txt to /new.txt"))
          .anyMatch(l -> l.endsWith(from + " (user): deleted /new.txt"))
          .anyMatch(l -> l.endsWith(from + " (user): removed directory /d"))
          .anyMatch(l -> l.contains(from + " closed after") && l.endsWith("(user logged out)"));
      assertThat(log.lines()).noneMatch(l -> l.contains("from /127.0.0.1"));
    }
  }

  @Test
  void cwdPwdCdupMoveAroundAndStayInsideTheRoot() throws Exception {
    Files.createDirectories(server.root().resolve("a/b"));
    assertThat(client.printWorkingDirectory()).isEqualTo("/");
    assertThat(client.changeWorkingDirectory("a/b")).isTrue();
    assertThat(client.printWorkingDirectory()).isEqualTo("/a/b");
    assertThat(client.changeToParentDirectory()).isTrue();
    assertThat(client.printWorkingDirectory()).isEqualTo("/a");
    assertThat(client.changeWorkingDirectory("../../..")).isTrue();
    assertThat(client.printWorkingDirectory()).isEqualTo("/");
    assertThat(client.changeWorkingDirectory("missing")).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);
    assertThat(client.sendCommand("XPWD")).isEqualTo(257);
  }

  @Test
  void mkdRmdDeleAndRename() throws Exception {
    assertThat(client.makeDirectory("new dir")).isTrue();
    assertThat(client.getReplyString()).startsWith("257 \"/new dir\"");
    assertThat(Files.isDirectory(server.root().resolve("new dir"))).isTrue();
    assertThat(client.makeDirectory("new dir")).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);

    assertThat(client.storeFile("new dir/f.txt", new ByteArrayInputStream(new byte[] {1, 2}))).isTrue();
    assertThat(client.removeDirectory("new dir")).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);

    assertThat(client.rename("new dir/f.txt", "g.txt")).isTrue();
    assertThat(Files.exists(server.root().resolve("g.txt"))).isTrue();
    assertThat(client.sendCommand("RNTO", "x")).isEqualTo(503);
    assertThat(client.rename("nothing", "x")).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);

    assertThat(client.deleteFile("g.txt")).isTrue();
    assertThat(client.deleteFile("g.txt")).isFalse();
    assertThat(client.getReplyCode()).isEqualTo(550);
    assertThat(client.removeDirectory("new dir")).isTrue();
    assertThat(Files.exists(server.root().resolve("new dir"))).isFalse();
  }

  @Test
  void sizeMdtmAndMfmt() throws Exception {
    server.randomFile("f.bin", 4321);
    assertThat(client.getSize("f.bin")).isEqualTo("4321");
    assertThat(client.sendCommand("SIZE", "/")).isEqualTo(550);
    assertThat(client.setModificationTime("f.bin", "20210102030405")).isTrue();
    assertThat(client.getReplyString()).startsWith("213 Modify=20210102030405; f.bin");
    assertThat(Files.getLastModifiedTime(server.root().resolve("f.bin")))
        .isEqualTo(FileTime.from(Instant.parse("2021-01-02T03:04:05Z")));
    assertThat(client.getModificationTime("f.bin")).isEqualTo("20210102030405");
    assertThat(client.sendCommand("MFMT", "2021 f.bin")).isEqualTo(501);
  }

  @Test
  void utf8NamesRoundTrip() throws Exception {
    assertThat(client.sendCommand("OPTS", "UTF8 ON")).isEqualTo(200);
    assertThat(client.storeFile("Grüße 日本.txt", new ByteArrayInputStream(new byte[] {42}))).isTrue();
    assertThat(Files.exists(server.root().resolve("Grüße 日本.txt"))).isTrue();
    assertThat(client.listNames()).contains("Grüße 日本.txt");
  }

  @Test
  void readOnlyUserCannotWrite() throws Exception {
    server.randomFile("f.bin", 10);
    var reader = ClientMode.PASV.connect(server, "reader", TestServer.PASSWORD);
    try {
      assertThat(reader.storeFile("x", new ByteArrayInputStream(new byte[] {1}))).isFalse();
      assertThat(reader.getReplyCode()).isEqualTo(550);
      assertThat(reader.deleteFile("f.bin")).isFalse();
      assertThat(reader.makeDirectory("d")).isFalse();
      assertThat(reader.rename("f.bin", "g")).isFalse();
      assertThat(reader.retrieveFile("f.bin", new java.io.ByteArrayOutputStream())).isTrue();
    } finally {
      ClientMode.quit(reader);
    }
    assertThat(Files.exists(server.root().resolve("x"))).isFalse();
  }

  @Test
  void anonymousLoginIsReadOnly() throws Exception {
    server.randomFile("pub.txt", 10);
    var anon = ClientMode.PASV.connect(server, "anonymous", "me@example.com");
    try {
      assertThat(anon.listNames()).contains("pub.txt");
      assertThat(anon.storeFile("x", new ByteArrayInputStream(new byte[] {1}))).isFalse();
      assertThat(anon.getReplyCode()).isEqualTo(550);
    } finally {
      ClientMode.quit(anon);
    }
  }
}
