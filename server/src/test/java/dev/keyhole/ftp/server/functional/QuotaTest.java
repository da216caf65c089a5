package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.io.CopyStreamException;
import org.junit.jupiter.api.Test;

/** Quotas per user: 552 beyond them, nothing left behind, usage right through deletes, renames, APPE and logins. */
class QuotaTest {

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static boolean store(FTPClient ftp, String name, byte[] content) throws Exception {
    try {
      return ftp.storeFile(name, new ByteArrayInputStream(content));
    } catch (CopyStreamException e) {
      // refused midway: the server closed the data connection while the client was still sending
      // (a broken pipe, depending on timing); its reply is still to be read
      return ftp.completePendingCommand();
    }
  }

  @Test
  void anUploadBeyondTheByteQuotaIsRefusedAndLeavesNothing() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (var server = TestServer.start(s -> s.option(ServerOptions.USER_QUOTA_BYTES, 1_000_000L)
        .metrics(new dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder(registry)))) {
      var ftp = ClientMode.PASV.connect(server);
      byte[] first = bytes(600_000, 1);
      assertThat(store(ftp, "a.bin", first)).isTrue();
      assertThat(store(ftp, "b.bin", bytes(600_000, 2))).isFalse();
      assertThat(ftp.getReplyCode()).isEqualTo(552);
      try (var files = Files.list(server.root())) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.bin");
      }
      // an APPE beyond the quota is cut back: the file is as it was
      assertThat(ftp.appendFile("a.bin", new ByteArrayInputStream(bytes(500_000, 3)))).isFalse();
      assertThat(ftp.getReplyCode()).isEqualTo(552);
      assertThat(Files.readAllBytes(server.root().resolve("a.bin"))).isEqualTo(first);
      // within the quota APPE counts too
      assertThat(ftp.appendFile("a.bin", new ByteArrayInputStream(bytes(300_000, 4)))).isTrue();
      assertThat(store(ftp, "c.bin", bytes(200_000, 5))).isFalse();
      // a deletion frees its bytes
      assertThat(ftp.deleteFile("a.bin")).isTrue();
      assertThat(store(ftp, "c.bin", bytes(900_000, 6))).isTrue();
      // overwriting a file counts the new size, not both
      assertThat(store(ftp, "c.bin", bytes(950_000, 7))).isTrue();
      ClientMode.quit(ftp);
      assertThat(registry.get("keyhole.quota.refusals").tag("limit", "bytes").counter().count()).isEqualTo(3);
    }
  }

  @Test
  void theFileQuotaCountsFilesAndARenameOverAFileFreesOne() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.USER_QUOTA_FILES, 2L))) {
      var ftp = ClientMode.PASV.connect(server);
      assertThat(store(ftp, "one", bytes(10, 1))).isTrue();
      assertThat(store(ftp, "two", bytes(10, 2))).isTrue();
      assertThat(store(ftp, "three", bytes(10, 3))).isFalse();
      assertThat(ftp.getReplyCode()).isEqualTo(552);
      assertThat(store(ftp, "two", bytes(20, 4))).as("overwriting makes no new file").isTrue();
      assertThat(ftp.rename("two", "one")).isTrue();
      assertThat(store(ftp, "three", bytes(10, 5))).isTrue();
      ClientMode.quit(ftp);
    }
  }

  @Test
  void usageIsReadFromTheDiskAtLoginSoItSurvivesRestartsAndOutsideChanges() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.USER_QUOTA_BYTES, 1_000_000L))) {
      // what an earlier run (or anything else) left in the root
      Files.write(server.root().resolve("earlier.bin"), bytes(900_000, 1));
      var ftp = ClientMode.PASV.connect(server);
      assertThat(store(ftp, "more.bin", bytes(200_000, 2))).isFalse();
      assertThat(ftp.getReplyCode()).isEqualTo(552);
      ClientMode.quit(ftp);
      Files.delete(server.root().resolve("earlier.bin"));
      ftp = ClientMode.PASV.connect(server);
      assertThat(store(ftp, "more.bin", bytes(200_000, 2))).isTrue();
      ClientMode.quit(ftp);
    }
  }

  @Test
  void aUsersOwnQuotaIsOverTheServers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
    var own = new dev.keyhole.ftp.server.auth.UserLimits(java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
        java.util.OptionalLong.of(100_000), java.util.OptionalLong.empty());
    var account = new dev.keyhole.ftp.server.auth.UserAccount("small", dev.keyhole.ftp.server.auth.PasswordHash.plain("pw"),
        home, java.util.EnumSet.allOf(dev.keyhole.ftp.server.auth.Permission.class), own);
    // no server-wide quota: only the user's own applies
    try (var server = TestServer.start(s -> s.authenticator(
        new dev.keyhole.ftp.server.auth.AccountAuthenticator(java.util.List.of(account), java.util.Optional.empty()))))  {
      var ftp = ClientMode.PASV.connect(server, "small", "pw");
      assertThat(store(ftp, "fits.bin", bytes(90_000, 1))).isTrue();
      assertThat(store(ftp, "over.bin", bytes(20_000, 2))).isFalse();
      assertThat(ftp.getReplyCode()).isEqualTo(552);
      ClientMode.quit(ftp);
    }
  }

  @Test
  void concurrentUploadsCannotTogetherPassTheQuota() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.USER_QUOTA_BYTES, 1_000_000L));
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var runs = new ArrayList<Future<Boolean>>();
      for (int i = 0; i < 3; i++) {
        int n = i;
        runs.add(pool.submit(() -> {
          var ftp = ClientMode.PASV.connect(server);
          try {
            return store(ftp, "f" + n + ".bin", bytes(450_000, n));
          } finally {
            ClientMode.quit(ftp);
          }
        }));
      }
      int stored = 0;
      for (var run : runs) {
        stored += run.get() ? 1 : 0;
      }
      long total;
      try (var files = Files.list(server.root())) {
        total = files.mapToLong(p -> {
          try {
            return Files.size(p);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).sum();
      }
      assertThat(stored).isBetween(1, 2);
      assertThat(total).as("what the disk holds").isEqualTo(stored * 450_000L).isLessThanOrEqualTo(1_000_000L);
    }
  }
}
