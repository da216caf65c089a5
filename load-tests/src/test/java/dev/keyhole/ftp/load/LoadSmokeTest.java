package dev.keyhole.ftp.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.client.FtpUrl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** A few seconds of each scenario, so that the harness itself is tested in mvn verify. */
class LoadSmokeTest {

  @TempDir Path work;

  private static FtpUrl url(TestServer server) {
    return FtpUrl.parse("ftp://user:secret@127.0.0.1:" + server.port() + "/");
  }

  private LoadRun.Report run(Scenario scenario, Settings settings, TestServer server) throws Exception {
    return new LoadRun(scenario, settings, List.of(), List.of(url(server)), 1, work).run(new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void retrLargeDownloadsAndVerifiesEveryByte() throws Exception {
    try (var server = TestServer.start()) {
      var report = run(Scenario.RETR_LARGE, new Settings(3, 2, Optional.empty(), 3_000_000, 0, Optional.empty(), true), server);
      var result = report.results().get(0);
      assertThat(result.errors()).isEmpty();
      assertThat(result.operations()).isEqualTo(6);
      assertThat(result.bytes()).isEqualTo(18_000_000);
      assertThat(result.latencyMillis()).containsKeys("p50", "p90", "p99", "p99.9", "max");
    }
  }

  @Test
  void storLargeUploadsAndVerifiesEachUploadAfterwards() throws Exception {
    try (var server = TestServer.start()) {
      var report = run(Scenario.STOR_LARGE,
          new Settings(2, 2, Optional.empty(), 1_500_000, 0, Optional.of(DataChannelKind.SPSV), true), server);
      assertThat(report.results().get(0).errors()).isEmpty();
      assertThat(report.results().get(0).operations()).isEqualTo(4);
      try (var left = Files.list(server.root())) {
        assertThat(left.filter(p -> p.getFileName().toString().startsWith("load-stor"))).as("verified uploads are removed").isEmpty();
      }
    }
  }

  @Test
  void smallFilesAndSessionsRunForTheirDuration() throws Exception {
    try (var server = TestServer.start()) {
      var small = run(Scenario.SMALL_FILES,
          new Settings(10, 0, Optional.of(Duration.ofSeconds(1)), 4096, 20, Optional.empty(), true), server);
      assertThat(small.results().get(0).errors()).isEmpty();
      assertThat(small.results().get(0).operations()).isPositive();
      var sessions = run(Scenario.SESSIONS, new Settings(10, 20, Optional.empty(), 0, 0, Optional.empty(), true), server);
      assertThat(sessions.results().get(0).errors()).isEmpty();
      assertThat(sessions.results().get(0).operations()).isEqualTo(200);
    }
  }

  @Test
  void idleSessionsStayLoggedInForTheDuration() throws Exception {
    // more than 500: Reactor Netty's default connection pool would have capped the client there
    try (var server = TestServer.start()) {
      var peak = new AtomicInteger();
      var sampler = Flux.interval(Duration.ofMillis(50))
          .subscribe(t -> peak.accumulateAndGet(server.server().openSessions(), Math::max));
      LoadRun.Report report;
      try {
        report = run(Scenario.IDLE, new Settings(600, 0, Optional.of(Duration.ofSeconds(3)), 0, 0, Optional.empty(), true), server);
      } finally {
        sampler.dispose();
      }
      assertThat(report.results().get(0).errors()).isEmpty();
      assertThat(report.results().get(0).operations()).isEqualTo(600);
      assertThat(peak.get()).as("sessions logged in at once").isEqualTo(600);
      assertThat(report.results().get(0).seconds()).isGreaterThanOrEqualTo(1.0);
    }
  }

  /** Idle sessions that keep themselves alive: a NOOP each every keepalive period, and none lost. */
  @Test
  void idleSessionsSendNoopsAtTheKeepalive() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (var server = TestServer.start(s -> s.metrics(new dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder(registry)))) {
      var settings = new Settings(20, 0, Optional.of(Duration.ofSeconds(3)), 0, 0, Optional.empty(), true, 0, 0,
          Settings.DEFAULT_TIMEOUT, java.util.List.of(), Optional.of(Duration.ofMillis(500)));
      var report = run(Scenario.IDLE, settings, server);
      assertThat(report.results().get(0).errors()).isEmpty();
      assertThat(report.results().get(0).operations()).isEqualTo(20);
      // about 4 NOOPs a session in 3 s at one per 500 ms (the last second sends none), and the final one
      long noops = (long) registry.get("keyhole.commands").tag("verb", "NOOP").timers().stream()
          .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
      assertThat(noops).isBetween(20L * 3, 20L * 7);
    }
  }

  @Test
  void aRampStartsClientsAtTheGivenRateAndIdleSessionsAreHeldTogether() throws Exception {
    try (var server = TestServer.start()) {
      long start = System.nanoTime();
      var sessions = run(Scenario.SESSIONS,
          new Settings(10, 1, Optional.empty(), 0, 0, Optional.empty(), true, 0, 20), server);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(sessions.results().get(0).errors()).isEmpty();
      assertThat(sessions.results().get(0).operations()).isEqualTo(10);
      assertThat(seconds).as("the tenth client starts 9/20 s in").isGreaterThanOrEqualTo(0.45);

      var peak = new AtomicInteger();
      var sampler = Flux.interval(Duration.ofMillis(20))
          .subscribe(t -> peak.accumulateAndGet(server.server().openSessions(), Math::max));
      LoadRun.Report idle;
      try {
        idle = run(Scenario.IDLE, new Settings(40, 0, Optional.of(Duration.ofSeconds(2)), 0, 0, Optional.empty(), true, 0, 40),
            server);
      } finally {
        sampler.dispose();
      }
      assertThat(idle.results().get(0).errors()).isEmpty();
      assertThat(idle.results().get(0).operations()).isEqualTo(40);
      assertThat(peak.get()).as("sessions logged in at once").isEqualTo(40);
    }
    assertThatThrownBy(() -> new Settings(1, 1, Optional.empty(), 1, 1, Optional.empty(), true, 0, -1))
        .hasMessageContaining("--ramp");
  }

  @Test
  void aServerThatNeverGreetsCostsTheTimeoutNotTheDefaultMinute() throws Exception {
    // what a connection dropped from a full listen queue looks like to the client: connected, silent
    try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      var url = FtpUrl.parse("ftp://user:secret@127.0.0.1:" + silent.getLocalPort() + "/");
      long start = System.nanoTime();
      var report = new LoadRun(Scenario.SESSIONS,
          new Settings(3, 1, Optional.empty(), 0, 0, Optional.empty(), true, 0, 0, Duration.ofSeconds(1)),
          List.of(), List.of(url), 1, work).run(new PrintStream(new ByteArrayOutputStream()));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(report.results().get(0).errorCount()).isEqualTo(3);
      assertThat(report.results().get(0).errors()).containsOnlyKeys("TimeoutException");
      assertThat(seconds).isLessThan(15);
    }
    assertThatThrownBy(() -> new Settings(1, 1, Optional.empty(), 1, 1, Optional.empty(), true, 0, 0, Duration.ZERO))
        .hasMessageContaining("--timeout");
  }

  @Test
  void warmupRunsBeforeTheTimedPartAndIsNotCounted() throws Exception {
    try (var server = TestServer.start()) {
      var report = run(Scenario.RETR_LARGE, new Settings(2, 1, Optional.empty(), 500_000, 0, Optional.empty(), true, 2), server);
      assertThat(report.results().get(0).operations()).isEqualTo(2);
      assertThat(report.results().get(0).errors()).isEmpty();
    }
  }

  @Test
  void mixedDownloadsUploadsAndListsAndVerifiesTheUploads() throws Exception {
    try (var server = TestServer.start()) {
      var report = run(Scenario.MIXED, new Settings(4, 20, Optional.empty(), 4096, 10, Optional.empty(), true), server);
      assertThat(report.results().get(0).errors()).isEmpty();
      assertThat(report.results().get(0).operations()).isEqualTo(80);
      try (var left = Files.list(server.root())) {
        assertThat(left.filter(p -> p.getFileName().toString().startsWith("load-mixed"))).as("verified uploads are removed").isEmpty();
      }
    }
  }

  @Test
  void aCorruptedDownloadIsCounted() throws Exception {
    try (var server = TestServer.start()) {
      var settings = new Settings(1, 1, Optional.empty(), 100_000, 0, Optional.empty(), true);
      Scenario.RETR_LARGE.prepare(url(server), settings).block(Duration.ofSeconds(30));
      byte[] bytes = Files.readAllBytes(server.root().resolve("load-large.bin"));
      bytes[50_000] ^= 1;
      Files.write(server.root().resolve("load-large.bin"), bytes);
      var stats = new Stats();
      Scenario.RETR_LARGE.run(url(server), settings, stats).block(Duration.ofSeconds(30));
      assertThat(stats.errors()).containsEntry("checksum-mismatch", 1L);
      assertThat(stats.operations()).isZero();
    }
  }

  @Test
  void peersRunInProcessesOfTheirOwnAndAreMeasured() throws Exception {
    var settings = new Settings(2, 1, Optional.empty(), 2_000_000, 0, Optional.empty(), true);
    // keyhole+tls: explicit FTPS with PROT P, the data connections resuming the control's TLS session
    var peers = List.of(Peer.Spec.parse("keyhole"), Peer.Spec.parse("apache-ftpserver"), Peer.Spec.parse("keyhole+tls"));
    var report = new LoadRun(Scenario.RETR_LARGE, settings, peers, List.of(), 1, work)
        .run(new PrintStream(new ByteArrayOutputStream()));
    assertThat(report.results()).extracting(PeerResult::peer).containsExactly("keyhole", "apache-ftpserver", "keyhole+tls");
    for (var r : report.results()) {
      assertThat(r.errors()).isEmpty();
      assertThat(r.operations()).isEqualTo(2);
      assertThat(r.serverCpuSeconds()).isNotNull().isNotNaN();
      assertThat(r.serverPeakRssBytes()).isNotNull().isPositive();
    }
    var out = new ByteArrayOutputStream();
    LoadRun.print(report, new PrintStream(out));
    assertThat(out.toString()).contains("keyhole").contains("apache-ftpserver").contains("x of best");
    assertThat(Files.readString(LoadRun.write(report, work.resolve("out")))).contains("\"scenario\" : \"retr-large\"");
  }

  @Test
  void sizesParseAndRunsMustBeBounded() {
    assertThat(LoadCli.parseSize("4k")).isEqualTo(4096);
    assertThat(LoadCli.parseSize("1g")).isEqualTo(1L << 30);
    assertThat(LoadCli.parseSize("123")).isEqualTo(123);
    assertThatThrownBy(() -> LoadCli.parseSize("lots")).hasMessageContaining("not a size");
    assertThatThrownBy(() -> new Settings(1, 0, Optional.empty(), 1, 1, Optional.empty(), true))
        .hasMessageContaining("bounded");
  }
}
