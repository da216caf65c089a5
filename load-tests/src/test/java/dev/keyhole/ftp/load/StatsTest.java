package dev.keyhole.ftp.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsTest {

  @TempDir Path out;

  @Test
  void percentilesThroughputAndErrorsAggregate() {
    var stats = new Stats();
    for (int i = 1; i <= 1000; i++) {
      stats.operation(i * 1_000_000L, 100); // 1 ms to 1000 ms
    }
    stats.error("checksum-mismatch");
    stats.error("reply-550");
    stats.error("reply-550");
    var result = PeerResult.of("x", 1, stats, 10.0, 1.5, 1L << 20);
    assertThat(result.operations()).isEqualTo(1000);
    assertThat(result.bytes()).isEqualTo(100_000);
    assertThat(result.operationsPerSecond()).isEqualTo(100.0);
    assertThat(result.megabytesPerSecond()).isEqualTo(0.01, within(1e-9));
    assertThat(result.latencyMillis().get("p50")).isEqualTo(500.0, within(1.0));
    assertThat(result.latencyMillis().get("p99")).isEqualTo(990.0, within(1.0));
    assertThat(result.latencyMillis().get("max")).isEqualTo(1000.0, within(1.0));
    assertThat(result.errors()).containsEntry("reply-550", 2L).containsEntry("checksum-mismatch", 1L);
    assertThat(result.errorCount()).isEqualTo(3);
    assertThat(result.percentiles()).containsKeys(0.0, 50.0, 99.99);
  }

  @Test
  void operationsAreCountedPerSecond() {
    var stats = new Stats();
    stats.operation(1000, 0);
    stats.operation(1000, 0);
    stats.sampleSecond();
    stats.sampleSecond();
    stats.operation(1000, 0);
    stats.sampleSecond();
    assertThat(stats.perSecond()).containsExactly(2L, 0L, 1L);
  }

  @Test
  void ratesCountOnlyWhatWasDoneByTheDeadline() {
    var stats = new Stats();
    for (int i = 0; i < 100; i++) {
      stats.operation(1000, 4096);
    }
    stats.markDeadline();
    // stragglers that finish after the duration: in the totals and latencies, not in the rate
    stats.operation(30_000_000_000L, 4096);
    var result = PeerResult.of("p", 1, stats, 10.0, null, null);
    assertThat(result.operations()).isEqualTo(101);
    assertThat(result.operationsPerSecond()).isEqualTo(10.0);
    assertThat(result.megabytesPerSecond()).isCloseTo(100 * 4096 / 10.0 / 1e6, within(1e-9));
    assertThat(result.latencyMillis().get("max")).isGreaterThan(29_000.0);
  }

  @Test
  void reportsAreWrittenAsJsonAndCharts() throws Exception {
    var a = new Stats();
    a.operation(2_000_000, 10);
    a.sampleSecond();
    var settings = new Settings(1, 1, Optional.empty(), 10, 1, Optional.empty(), true);
    var report = new LoadRun.Report("retr-large", settings, Instant.parse("2026-11-22T00:00:00Z"),
        List.of(PeerResult.of("keyhole", 1, a, 1.0, null, null), PeerResult.of("vsftpd", 1, a, 0.5, 0.1, 4096L)));
    assertThat(report.best()).isEqualTo(2.0);
    Path json = LoadRun.write(report, out);
    assertThat(Files.readString(json)).contains("\"peer\" : \"vsftpd\"").contains("\"p99.9\"");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("retr-large-2026-11-22T00-00-00Z-latency.png", "retr-large-2026-11-22T00-00-00Z-throughput.png",
              "retr-large-2026-11-22T00-00-00Z-peers.png");
    }
    assertThat(Files.size(out.resolve("retr-large-2026-11-22T00-00-00Z-peers.png"))).isGreaterThan(1000);
  }
}
