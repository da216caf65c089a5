package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer log, parsed as a log analyser would: fields split on spaces from both ends. */
class XferLogTest {

  @TempDir Path tmp;

  /** One xferlog line, split: five fields, the file name (which may hold spaces), nine fields. */
  record Entry(LocalDateTime time, long seconds, String host, long bytes, String file, String type, String direction,
      String access, String user, String completion) {

    static Entry parse(String line) {
      String[] f = line.split(" +");
      int n = f.length;
      var time = LocalDateTime.parse(String.join(" ", f[0], f[1], f[2], f[3], f[4]),
          java.time.format.DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", java.util.Locale.ROOT));
      String file = String.join(" ", java.util.Arrays.copyOfRange(f, 8, n - 9));
      assertThat(List.of(f[n - 8], f[n - 4], f[n - 3], f[n - 2])).containsExactly("_", "ftp", "0", "*");
      return new Entry(time, Long.parseLong(f[5]), f[6], Long.parseLong(f[7]), file, f[n - 9], f[n - 7], f[n - 6],
          f[n - 5], f[n - 1]);
    }
  }

  @Test
  void everyTransferIsALineWithTheBytesThatMovedCompleteOrNot() throws Exception {
    var log = tmp.resolve("logs/xferlog");
    try (var server = TestServer.start()) {
      var xferlog = XferLog.start(log, server.server().events());
      try {
        byte[] up = new byte[150_000];
        new java.util.Random(3).nextBytes(up);
        server.randomFile("big file.bin", 8_000_000);
        var ftp = new FTPClient();
        ftp.connect("127.0.0.1", server.port());
        ftp.login(TestServer.USER, TestServer.PASSWORD);
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        assertThat(ftp.storeFile("up.bin", new ByteArrayInputStream(up))).isTrue();
        var back = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile("up.bin", back)).isTrue();
        // a download the client gives up on: what the line says is what left, not the file's size
        try (var in = ftp.retrieveFileStream("big file.bin")) {
          in.readNBytes(10_000);
        }
        ftp.completePendingCommand();
        ftp.logout();
        ftp.disconnect();

        List<Entry> entries = List.of();
        for (int i = 0; i < 100 && entries.size() < 3; i++) {
          Thread.sleep(50);
          entries = Files.exists(log) ? Files.readAllLines(log).stream().map(Entry::parse).toList() : List.of();
        }
        assertThat(entries).hasSize(3);
        var upload = entries.get(0);
        assertThat(upload.host()).isEqualTo("127.0.0.1");
        assertThat(upload.bytes()).isEqualTo(150_000);
        assertThat(upload.file()).isEqualTo(server.root().resolve("up.bin").toString());
        assertThat(List.of(upload.type(), upload.direction(), upload.access(), upload.user(), upload.completion()))
            .containsExactly("b", "i", "r", TestServer.USER, "c");
        assertThat(upload.seconds()).isPositive();
        assertThat(Duration.between(upload.time(), LocalDateTime.now()).abs()).isLessThan(Duration.ofMinutes(1));
        var download = entries.get(1);
        assertThat(List.of(download.direction(), download.completion())).containsExactly("o", "c");
        assertThat(download.bytes()).isEqualTo(150_000);
        var cut = entries.get(2);
        assertThat(cut.file()).isEqualTo(server.root().resolve("big file.bin").toString());
        assertThat(List.of(cut.direction(), cut.completion())).containsExactly("o", "i");
        assertThat(cut.bytes()).isBetween(10_000L, 8_000_000L - 1);
      } finally {
        xferlog.close();
      }
    }
  }
}
