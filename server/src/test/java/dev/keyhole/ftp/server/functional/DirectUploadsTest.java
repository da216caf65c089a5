package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With {@code --direct-uploads}, uploads of every length around the buffer and block boundaries
 * arrive whole, a resumed upload (REST, written the ordinary way) joins a directly written file,
 * an upload cut off midway (ABOR, or the client resetting the data connection) leaves the
 * previous file as it was, or with --keep-partial-uploads an intact prefix of what was sent, and
 * the server goes on serving (Commons Net and raw sockets as clients; the build's temporary
 * directory has O_DIRECT).
 */
class DirectUploadsTest {

  private static final int MIB = 1 << 20;

  @Test
  void uploadsArriveWholeAndACutOneLeavesThePreviousFile() throws Exception {
    var random = new Random(11);
    try (var server = TestServer.start(s -> s.option(ServerOptions.DIRECT_UPLOADS, true)); var log = LogCapture.attach()) {
      byte[] old = new byte[MIB / 2];
      random.nextBytes(old);
      byte[] chunk = new byte[64 * 1024];
      var client = ClientMode.EPSV.connect(server);
      try {
        for (int length : new int[] {0, 1, 4096, MIB - 1, MIB, MIB + 1, 3 * MIB + 123}) {
          byte[] content = new byte[length];
          random.nextBytes(content);
          assertThat(client.storeFile("f" + length, new ByteArrayInputStream(content))).as("length %d", length).isTrue();
          assertThat(Files.readAllBytes(server.root().resolve("f" + length))).as("length %d", length).isEqualTo(content);
        }

        // REST: the tail from an offset that is no block boundary, after a direct upload
        byte[] whole = new byte[2 * MIB + 999];
        random.nextBytes(whole);
        assertThat(client.storeFile("resumed", new ByteArrayInputStream(whole, 0, MIB + 7))).isTrue();
        client.setRestartOffset(MIB + 7);
        assertThat(client.storeFile("resumed", new ByteArrayInputStream(whole, MIB + 7, whole.length - MIB - 7))).isTrue();
        assertThat(Files.readAllBytes(server.root().resolve("resumed"))).isEqualTo(whole);

        // cut off midway: the data connection closes without the rest; the old file stays
        Files.write(server.root().resolve("kept"), old);
        var out = client.storeFileStream("kept");
        for (int i = 0; i < 40; i++) {
          out.write(chunk);
        }
        out.flush();
        // an abrupt end: ABOR, then the stream's socket goes
        client.abort();
        out.close();
        client.completePendingCommand();
        assertThat(client.sendNoOp()).isTrue();
      } finally {
        ClientMode.quit(client);
      }
      byte[] after = Files.readAllBytes(server.root().resolve("kept"));
      // either the upload was cut (the old file stays) or it had completed whole before the ABOR
      if (after.length == old.length) {
        assertThat(after).isEqualTo(old);
      } else {
        assertThat(after).hasSize(40 * chunk.length).containsOnly((byte) 0);
      }
      assertThat(log.errors()).isEmpty();
    }
  }

  /** Sends {@code content}, then resets the data connection; returns the reply to STOR. */
  private static int storeThenReset(TestServer server, RawControl c, String name, byte[] content) throws Exception {
    c.send("TYPE I").expect(200);
    int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
    var data = new Socket(server.host(), port);
    c.send("STOR " + name).expect(150);
    data.getOutputStream().write(content);
    data.getOutputStream().flush();
    Thread.sleep(200);
    data.setSoLinger(true, 0);
    data.close();
    return c.reply().code();
  }

  @Test
  void aResetMidwayLeavesThePreviousFile() throws Exception {
    byte[] old = new byte[MIB / 2];
    new Random(5).nextBytes(old);
    byte[] sent = new byte[2 * MIB + 77];
    new Random(6).nextBytes(sent);
    try (var server = TestServer.start(s -> s.option(ServerOptions.DIRECT_UPLOADS, true));
        var log = LogCapture.attach(); var c = RawControl.login(server)) {
      Files.write(server.root().resolve("kept"), old);
      assertThat(storeThenReset(server, c, "kept", sent)).isBetween(426, 451);
      c.send("NOOP").expect(200);
      assertThat(Files.readAllBytes(server.root().resolve("kept"))).isEqualTo(old);
      try (var walk = Files.list(server.root())) {
        assertThat(walk.map(p -> p.getFileName().toString())).containsExactly("kept");
      }
      assertThat(log.errors()).isEmpty();
    }
  }

  @Test
  void aResetMidwayKeepsAnIntactPrefixWhenPartialUploadsAreKept() throws Exception {
    byte[] sent = new byte[2 * MIB + 77];
    new Random(7).nextBytes(sent);
    try (var server = TestServer.start(s -> s.option(ServerOptions.DIRECT_UPLOADS, true)
        .option(ServerOptions.KEEP_PARTIAL_UPLOADS, true)); var log = LogCapture.attach(); var c = RawControl.login(server)) {
      assertThat(storeThenReset(server, c, "part", sent)).isBetween(426, 451);
      c.send("NOOP").expect(200);
      byte[] kept = Files.readAllBytes(server.root().resolve("part"));
      // what arrived before the reset, the direct writes' and the buffer's last part alike
      assertThat(kept.length).isGreaterThan(MIB).isLessThanOrEqualTo(sent.length);
      assertThat(kept).isEqualTo(Arrays.copyOf(sent, kept.length));
      assertThat(log.errors()).isEmpty();
    }
  }
}
