package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.SpdtClient;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.server.fs.JailedFileSystem;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.commons.net.ftp.FTP;
import org.junit.jupiter.api.Test;

/**
 * Input and peers an attacker or a broken client would bring, each with the reply an operator
 * expects: names that would forge replies, a flood of SPDT-only connections, a control connection
 * reset, partial uploads left by a crash, a non-default file system, login timing, and commands
 * whose arguments are subtly wrong.
 */
class HostileInputTest {

  private static final String FORGING = "x\r\n213 End of status\r\n550 injected";

  @Test
  void namesWithCrLfOrNulCannotBeCreated() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.sendBytes("MKD a\rb\r\n".getBytes(StandardCharsets.UTF_8)).expect(553);
      c.sendBytes("MKD a\0b\r\n".getBytes(StandardCharsets.UTF_8)).expect(553);
      Files.writeString(server.root().resolve("f"), "x");
      c.send("RNFR f").expect(350);
      c.sendBytes("RNTO g\rh\r\n".getBytes(StandardCharsets.UTF_8)).expect(553);
      c.send("TYPE I").expect(200);
      c.send("PASV").expect(227);
      c.sendBytes("STOR s\rt\r\n".getBytes(StandardCharsets.UTF_8)).expect(553);
      try (var files = Files.list(server.root())) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("f");
      }
    }
  }

  @Test
  void aNameOnDiskThatHoldsCrLfNeitherEndsNorInjectsAReply() throws Exception {
    try (var server = TestServer.start(); var socket = new Socket(server.host(), server.port())) {
      Files.writeString(server.root().resolve(FORGING), "x");
      socket.setSoTimeout(5000);
      var in = socket.getInputStream();
      var out = socket.getOutputStream();
      out.write(("USER " + TestServer.USER + "\r\nPASS " + TestServer.PASSWORD + "\r\nSTAT .\r\nNOOP\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      // every reply line up to NOOP's, split only at CR LF (RFC 959 line ends)
      var lines = new ArrayList<String>();
      var line = new ByteArrayOutputStream();
      int previous = -1;
      int b;
      while ((b = in.read()) != -1) {
        if (previous == '\r' && b == '\n') {
          byte[] bytes = line.toByteArray();
          String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
          lines.add(text);
          line.reset();
          if (text.startsWith("200 ")) {
            break;
          }
        } else {
          line.write(b);
        }
        previous = b;
      }
      var statReply = lines.subList(lines.indexOf(lines.stream().filter(l -> l.startsWith("213-")).findFirst().orElseThrow()),
          lines.size() - 1);
      assertThat(statReply).noneMatch(l -> l.startsWith("550"));
      assertThat(statReply.stream().filter(l -> l.startsWith("213 "))).hasSize(1);
      assertThat(statReply.get(statReply.size() - 1)).startsWith("213 ");
      // CR as CR NUL (RFC 959), LF as NUL (as vsftpd)
      assertThat(String.join("\n", statReply)).contains("x\r\0\0" + "213 End of status\r\0\0" + "550 injected");
      assertThat(lines.get(lines.size() - 1)).startsWith("200 ");
    }
  }

  @Test
  void listingsCarryCrLfNamesOnOneLine() throws Exception {
    try (var server = TestServer.start()) {
      Files.writeString(server.root().resolve(FORGING), "x");
      var client = ClientMode.EPSV.connect(server);
      try {
        String[] names = client.listNames();
        assertThat(names).containsExactly("x??213 End of status??550 injected");
      } finally {
        ClientMode.quit(client);
      }
    }
  }

  @Test
  void spdtOnlyAdmissionIsBoundedByThePendingIdentifiers() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.MAX_SESSIONS, 1)); var owner = RawControl.login(server)) {
      owner.send("TYPE I").expect(200);
      String identifier = SpdtClient.identifier(owner);
      var sockets = new ArrayList<Socket>();
      int greeted = 0;
      try {
        for (int i = 0; i < 40; i++) {
          var s = new Socket(server.host(), server.port());
          s.setSoTimeout(5000);
          sockets.add(s);
          String first = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
          if (first != null && first.startsWith("220")) {
            greeted++;
          }
        }
      } finally {
        for (var s : sockets) {
          s.close();
        }
      }
      assertThat(greeted).as("connections admitted for SPDT only, one identifier pending").isBetween(1, 9);
      // their places come back: the identifier's own data connection is still admitted
      server.randomFile("f.bin", 1000);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      Socket data = null;
      while (data == null && System.nanoTime() < deadline) {
        try {
          data = SpdtClient.open(server, identifier);
        } catch (AssertionError | java.io.IOException refusedForNow) {
          Thread.sleep(50);
        }
      }
      assertThat(data).as("the owner's SPDT connection").isNotNull();
      try (var d = data) {
        owner.send("RETR f.bin").expect(150);
        assertThat(d.getInputStream().readAllBytes()).hasSize(1000);
        owner.expect(226);
      }
    }
  }

  @Test
  void aControlConnectionResetIsNoError() throws Exception {
    try (var log = LogCapture.attach(); var server = TestServer.start()) {
      server.randomFile("big.bin", 8 * 1024 * 1024);
      for (int i = 0; i < 5; i++) {
        var c = RawControl.login(server);
        c.send("TYPE I").expect(200);
        int port = dev.keyhole.ftp.protocol.AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
        try (var data = new Socket(server.host(), port)) {
          c.send("RETR big.bin").expect(150);
          data.getInputStream().readNBytes(10_000);
          c.resetConnection();
          data.setSoLinger(true, 0);
        }
      }
      try (var c = RawControl.login(server)) {
        c.send("NOOP").expect(200);
      }
      Thread.sleep(200);
      assertThat(log.errors()).isEmpty();
    }
  }

  @Test
  void partialUploadsAreNeverListedAndThoseACrashLeftAreRemovedAtStart() throws Exception {
    Path root = Files.createTempDirectory("keyhole-partials");
    Path orphan = root.resolve("sub/.report.pdf.0123456789abcdef.part");
    Path fresh = root.resolve(".other.bin.fedcba9876543210.part");
    Files.createDirectories(orphan.getParent());
    Files.writeString(orphan, "left by kill -9");
    Files.writeString(fresh, "an upload of another node, still running");
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
    var accounts = List.of(new UserAccount(TestServer.USER, PasswordHash.plain(TestServer.PASSWORD), root,
        EnumSet.allOf(Permission.class)));
    try (var server = TestServer.start(s -> s.authenticator(new AccountAuthenticator(accounts, Optional.empty())))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (Files.exists(orphan) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(orphan).doesNotExist();
      assertThat(fresh).exists();
      var client = ClientMode.PASV.connect(server);
      try {
        Files.writeString(root.resolve("visible.txt"), "v");
        assertThat(client.listNames()).containsExactlyInAnyOrder("sub", "visible.txt");
        assertThat(client.listNames("sub")).isEmpty();
        assertThat(Arrays.stream(client.mlistDir()).map(f -> f.getName())).containsExactlyInAnyOrder("sub", "visible.txt");
      } finally {
        ClientMode.quit(client);
      }
    }
  }

  @Test
  void binaryTransfersWorkOnANonDefaultFileSystem() throws Exception {
    try (var jimfs = Jimfs.newFileSystem(Configuration.unix())) {
      Path home = jimfs.getPath("/home/user");
      try (var server = TestServer.start(s -> s.fileSystem(user -> JailedFileSystem.open(home)))) {
        byte[] content = new byte[3 * 1024 * 1024 + 5];
        new Random(3).nextBytes(content);
        for (var mode : ClientMode.values()) {
          var client = mode.connect(server);
          try {
            assertThat(client.storeFile("f.bin", new ByteArrayInputStream(content))).as(client.getReplyString()).isTrue();
            assertThat(Files.readAllBytes(home.resolve("f.bin"))).isEqualTo(content);
            var out = new ByteArrayOutputStream();
            assertThat(client.retrieveFile("f.bin", out)).as(mode + ": " + client.getReplyString()).isTrue();
            assertThat(out.toByteArray()).isEqualTo(content);
            client.setFileType(FTP.ASCII_FILE_TYPE);
            assertThat(client.listNames()).contains("f.bin");
          } finally {
            ClientMode.quit(client);
          }
        }
      }
    }
  }

  @Test
  void aWrongPasswordTakesAsLongForAnUnknownUserAsForAKnownOne() throws Exception {
    var accounts = List.of(new UserAccount("alice", PasswordHash.bcrypt(PasswordHash.hash("right", 9)),
        Path.of("/tmp"), EnumSet.allOf(Permission.class)));
    var authenticator = new AccountAuthenticator(accounts, Optional.empty());
    var remote = new InetSocketAddress("127.0.0.1", 1);
    // interleaved, so that whatever else the machine does falls on both alike
    long[] known = new long[15];
    long[] unknown = new long[15];
    for (int i = -3; i < known.length; i++) {
      long a = nanos(() -> authenticator.authenticate("alice", "wrong", remote).block());
      long b = nanos(() -> authenticator.authenticate("mallory", "wrong", remote).block());
      if (i >= 0) {
        known[i] = a;
        unknown[i] = b;
      }
    }
    Arrays.sort(known);
    Arrays.sort(unknown);
    long k = known[known.length / 2];
    long u = unknown[unknown.length / 2];
    // before, an unknown name cost a SHA-256 (microseconds) against bcrypt's milliseconds
    assertThat((double) u / k).as("median unknown %d ns / known %d ns", u, k).isBetween(0.6, 1.6);
  }

  private static long nanos(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return System.nanoTime() - start;
  }

  @Test
  void mfmtRefusesDatesThatDoNotExist() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      Files.writeString(server.root().resolve("f"), "x");
      c.send("MFMT 20240230120000 f").expect(501);
      c.send("MFMT 20230229120000 f").expect(501);
      c.send("MFMT 20240101240000 f").expect(501);
      c.send("MFMT 20240229120000 f").expect(213);
    }
  }

  @Test
  void siteChmodRefusesSpecialBitsInsteadOfDroppingThem() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      Path f = server.root().resolve("f");
      Files.writeString(f, "x");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      assertThat(c.send("SITE CHMOD 6777 f").expect(504).text()).contains("setuid");
      assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
      c.send("SITE CHMOD 640 f").expect(200);
      assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    }
  }

  @Test
  void theClientUsesTheDataChannelAskedForOrFails() throws Exception {
    try (var server = TestServer.start(s -> s.singlePort())) {
      server.randomFile("f.bin", 1000);
      var client = FtpClient.connect(server.host(), server.port()).block(Duration.ofSeconds(10));
      try {
        client.login(TestServer.USER, TestServer.PASSWORD).block(Duration.ofSeconds(10));
        assertThat(client.choose(Optional.empty())).isEqualTo(DataChannelKind.SPSV);
        for (var asked : Set.of(DataChannelKind.EPSV, DataChannelKind.PASV)) {
          assertThatThrownBy(() -> client.fetch("RETR f.bin", asked).block(Duration.ofSeconds(10)))
              .hasMessageContaining(asked.name() + " refused: 502");
        }
        assertThat(client.fetch("RETR f.bin", DataChannelKind.SPSV).block(Duration.ofSeconds(10))).hasSize(1000);
      } finally {
        client.quit().block(Duration.ofSeconds(10));
      }
    }
  }
}
