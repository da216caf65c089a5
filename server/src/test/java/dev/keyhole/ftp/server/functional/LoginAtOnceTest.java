package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/**
 * A plain-password login into a home opened moments before is answered on the event loop, with
 * the home's remembered real path (docs/architecture.md). What that must not cost: a home deleted
 * in between gives clean errors and a session that goes on, and a later login makes it again.
 */
class LoginAtOnceTest {

  @Test
  void aHomeDeletedBetweenTwoLoginsGivesCleanErrorsThenComesBack() throws Exception {
    try (var server = TestServer.start(); var log = LogCapture.attach()) {
      var first = ClientMode.PASV.connect(server);
      assertThat(first.storeFile("a.txt", new ByteArrayInputStream("one".getBytes(StandardCharsets.US_ASCII)))).isTrue();
      ClientMode.quit(first);
      deleteTree(server.root());

      // within seconds: the login is answered from what the first one saw
      var second = ClientMode.PASV.connect(server);
      try {
        assertThat(second.storeFile("b.txt", new ByteArrayInputStream(new byte[] {1}))).isFalse();
        assertThat(second.getReplyCode()).isBetween(450, 559);
        assertThat(second.retrieveFile("a.txt", new ByteArrayOutputStream())).isFalse();
        assertThat(second.getReplyCode()).isEqualTo(550);
        assertThat(second.sendNoOp()).isTrue();
      } finally {
        ClientMode.quit(second);
      }

      // once the remembered path is stale, the next login opens the home again and creates it
      Thread.sleep(5_500);
      var third = ClientMode.PASV.connect(server);
      try {
        assertThat(third.storeFile("c.txt", new ByteArrayInputStream("three".getBytes(StandardCharsets.US_ASCII)))).isTrue();
      } finally {
        ClientMode.quit(third);
      }
      assertThat(Files.readString(server.root().resolve("c.txt"))).isEqualTo("three");
      assertThat(log.errors()).isEmpty();
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
