package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.client.ClientTls;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Bandwidth limits, measured: a transfer's rate stays within 10 % of the limit, downloads and
 * uploads, over every data-channel kind and under TLS; the server-wide limit holds for sessions
 * together. Sessions run side by side, so the test takes about as long as one transfer; no other
 * test class runs meanwhile ({@link Isolated}): a limit is a ceiling, and a machine busy with other
 * tests can hold a transfer below it.
 */
@Isolated
class RateLimitTest {

  private static final long RATE = 2L << 20; // 2 MiB/s
  private static final int SIZE = 4 << 20; // 4 MiB: two seconds at the limit
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  /** Bytes a second of one transfer. */
  private static double rate(long bytes, long nanos) {
    return bytes * 1e9 / nanos;
  }

  private Callable<List<Double>> session(TestServer server, DataChannelKind kind, Optional<ClientTls> tls, String name)
      throws Exception {
    var local = Files.write(tmp.resolve(name + ".up"), new byte[SIZE]);
    return () -> {
      var client = FtpClient.connect(new InetSocketAddress("127.0.0.1", server.port()), WAIT, tls).block(WAIT);
      try {
        client.login(TestServer.USER, TestServer.PASSWORD).block(WAIT);
        long start = System.nanoTime();
        long down = client.download("big.bin", tmp.resolve(name + ".down"), kind, n -> { }).block(WAIT);
        double downRate = rate(down, System.nanoTime() - start);
        start = System.nanoTime();
        long up = client.upload(local, name + ".bin", kind, n -> { }).block(WAIT);
        double upRate = rate(up, System.nanoTime() - start);
        assertThat(down).isEqualTo(SIZE);
        assertThat(up).isEqualTo(SIZE);
        return List.of(downRate, upRate);
      } finally {
        client.quit().block(WAIT);
      }
    };
  }

  @Test
  void eachSessionIsHeldToItsRateOverEveryKindAndTls() throws Exception {
    try (var plain = TestServer.start(s -> s.option(ServerOptions.DOWNLOAD_RATE, RATE).option(ServerOptions.UPLOAD_RATE, RATE));
        var secure = TestServer.startTls(t -> t, s -> s.option(ServerOptions.DOWNLOAD_RATE, RATE)
            .option(ServerOptions.UPLOAD_RATE, RATE));
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      plain.randomFile("big.bin", SIZE);
      secure.randomFile("big.bin", SIZE);
      var tls = Optional.of(ClientTls.trusting(TestServer.tlsCertificateDir().resolve("cert.pem"), false));
      var runs = new ArrayList<java.util.concurrent.Future<List<Double>>>();
      for (var kind : List.of(DataChannelKind.SPSV, DataChannelKind.EPSV, DataChannelKind.PORT)) {
        runs.add(pool.submit(session(plain, kind, Optional.empty(), kind.name())));
      }
      runs.add(pool.submit(session(secure, DataChannelKind.EPSV, tls, "tls")));
      for (var run : runs) {
        var rates = run.get();
        assertThat(rates.get(0)).as("download rate").isBetween(RATE * 0.9, RATE * 1.1);
        assertThat(rates.get(1)).as("upload rate").isBetween(RATE * 0.9, RATE * 1.1);
      }
    }
  }

  @Test
  void theServerWideRateIsSharedBySessions() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (var server = TestServer.start(s -> s.option(ServerOptions.TOTAL_DOWNLOAD_RATE, RATE)
        .metrics(new dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder(registry)));
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      server.randomFile("big.bin", SIZE);
      long start = System.nanoTime();
      var runs = new ArrayList<java.util.concurrent.Future<Long>>();
      for (int i = 0; i < 2; i++) {
        int n = i;
        runs.add(pool.submit(() -> {
          var client = FtpClient.connect(new InetSocketAddress("127.0.0.1", server.port()), WAIT, Optional.empty())
              .block(WAIT);
          try {
            client.login(TestServer.USER, TestServer.PASSWORD).block(WAIT);
            return client.download("big.bin", tmp.resolve("d" + n), DataChannelKind.EPSV, b -> { }).block(WAIT);
          } finally {
            client.quit().block(WAIT);
          }
        }));
      }
      long total = 0;
      for (var run : runs) {
        total += run.get();
      }
      assertThat(rate(total, System.nanoTime() - start)).as("both sessions together").isBetween(RATE * 0.9, RATE * 1.1);
      assertThat(registry.get("keyhole.data.throttled").tag("direction", "download").counter().count())
          .isEqualTo(2.0 * SIZE);
    }
  }

  @Test
  void aLimitedDownloadTheClientCutsFailsCleanlyAndTheSessionGoesOn() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.DOWNLOAD_RATE, RATE))) {
      server.randomFile("big.bin", SIZE);
      var ftp = dev.keyhole.ftp.server.ClientMode.PASV.connect(server);
      try (var in = ftp.retrieveFileStream("big.bin")) {
        assertThat(in.readNBytes(300_000)).hasSize(300_000);
      }
      assertThat(ftp.completePendingCommand()).as("a cut download is no success").isFalse();
      assertThat(ftp.getReplyCode()).isEqualTo(426);
      assertThat(ftp.sendNoOp()).isTrue();
      var whole = new java.io.ByteArrayOutputStream();
      long start = System.nanoTime();
      assertThat(ftp.retrieveFile("big.bin", whole)).isTrue();
      assertThat(whole.size()).isEqualTo(SIZE);
      assertThat(rate(SIZE, System.nanoTime() - start)).isBetween(RATE * 0.9, RATE * 1.1);
      dev.keyhole.ftp.server.ClientMode.quit(ftp);
    }
  }
}
