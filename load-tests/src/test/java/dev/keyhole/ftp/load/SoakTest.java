package dev.keyhole.ftp.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A minute of the soak scenario against an in-process server, in mvn verify: resets, aborts, slow
 * readers, dropped sessions and concurrent uploads to the same names, over every data-channel kind.
 * Afterwards every file is one of its versions, whole; no download answered 226 was anything else;
 * nothing was logged at ERROR; and this process's file descriptors, threads and heap are back near
 * where they started. Longer runs: {@code ./keyhole load soak --duration 10m} (docs/benchmarks.md).
 */
class SoakTest {

  private static final Duration DURATION = Duration.ofSeconds(
      Long.getLong("keyhole.soak.seconds", 60));

  @Test
  void aMinuteOfFailuresLosesNothingAndLeaksNothing() throws Exception {
    try (var log = LogCapture.attach();
        var server = TestServer.start(s -> s.option(ServerOptions.IDLE_TIMEOUT, Duration.ofSeconds(5)).option(ServerOptions.DATA_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
            .option(ServerOptions.SPSV_TIMEOUT, Duration.ofSeconds(5)))) {
      var memory = ManagementFactory.getMemoryMXBean();
      var soak = new Soak(server.host(), server.port(), TestServer.USER, TestServer.PASSWORD, 42);
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      var result = soak.run(DURATION, 12, Optional.of(server.root()), OptionalLong.of(ProcessHandle.current().pid()), null);
      assertThat(result.problems()).isEmpty();
      assertThat(result.operations().values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(100);
      assertThat(result.verifiedDownloads()).isPositive();
      for (var op : Soak.Operation.values()) {
        assertThat(result.operations().get(op)).as("%s ran", op).isPositive();
      }
      System.gc();
      long heapAfter = memory.getHeapMemoryUsage().getUsed();
      if (Boolean.getBoolean("keyhole.soak.pause")) {
        Thread.sleep(60_000);
      }
      assertThat(heapAfter).as("heap after / before: %d / %d", heapAfter, heapBefore).isLessThan(heapBefore + (64L << 20));
      assertThat(log.errors()).isEmpty();
    }
  }
}
