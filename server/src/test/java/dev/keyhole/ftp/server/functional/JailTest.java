package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Nothing outside the user's root can be read, written or listed: not by {@code ..}, not through links. */
class JailTest {

  @Test
  void dotDotAndAbsolutePathsStayInsideTheRoot() throws Exception {
    try (var server = TestServer.start()) {
      Path outside = server.root().getParent().resolve("outside-" + server.port() + ".txt");
      Files.writeString(outside, "secret");
      try (var c = RawControl.login(server)) {
        c.send("SIZE ../" + outside.getFileName()).expect(550);
        c.send("SIZE ../../../../../../../../" + outside).expect(550);
        c.send("SIZE " + outside).expect(550);
        c.send("CWD ../../..").expect(250);
        assertThat(c.send("PWD").expect(257).text()).startsWith("\"/\"");
        c.send("MKD ../escaped").expect(257);
        assertThat(Files.exists(server.root().getParent().resolve("escaped"))).isFalse();
        assertThat(Files.isDirectory(server.root().resolve("escaped"))).isTrue();
      } finally {
        Files.deleteIfExists(outside);
      }
    }
  }

  @Test
  void symlinksLeadingOutsideAreRefused() throws Exception {
    try (var server = TestServer.start()) {
      Path outside = Files.createTempDirectory("keyhole-outside");
      Files.writeString(outside.resolve("secret.txt"), "secret");
      Files.createSymbolicLink(server.root().resolve("escape"), outside);
      Files.createSymbolicLink(server.root().resolve("secret-link"), outside.resolve("secret.txt"));
      var client = ClientMode.PASV.connect(server);
      try {
        assertThat(client.retrieveFile("secret-link", new ByteArrayOutputStream())).isFalse();
        assertThat(client.getReplyCode()).isEqualTo(550);
        assertThat(client.retrieveFile("escape/secret.txt", new ByteArrayOutputStream())).isFalse();
        assertThat(client.getReplyCode()).isEqualTo(550);
        assertThat(client.storeFile("escape/planted.txt", new ByteArrayInputStream(new byte[] {1}))).isFalse();
        assertThat(client.changeWorkingDirectory("escape")).isFalse();
        assertThat(client.listFiles("escape")).isEmpty();
        assertThat(client.getReplyCode()).isEqualTo(550);
        assertThat(client.deleteFile("escape/secret.txt")).isFalse();
        assertThat(client.rename("escape/secret.txt", "mine.txt")).isFalse();
      } finally {
        ClientMode.quit(client);
      }
      assertThat(Files.exists(outside.resolve("planted.txt"))).isFalse();
      assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("secret");
      try (var walk = Files.walk(outside)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
