package dev.keyhole.ftp.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * One scenario run against one peer.
 *
 * @param peer the peer's name, or the target URL without password
 * @param round which round (peers alternate round by round)
 * @param operations completed operations (transfers, or sessions for {@code sessions})
 * @param bytes bytes moved in the timed part
 * @param seconds the timed part's length
 * @param operationsPerSecond operations per second
 * @param megabytesPerSecond MB (10^6 bytes) per second
 * @param latencyMillis p50, p90, p99, p99.9 and max of one operation, in milliseconds
 * @param serverCpuSeconds CPU the server used during the timed part, when the harness started it
 * @param serverPeakRssBytes the server's peak resident memory, when the harness started it
 * @param errors errors by kind; any checksum mismatch fails the run
 * @param percentiles latency in milliseconds at percentiles from 0 to 99.99, for the distribution chart
 * @param operationsPerSecondSeries operations completed in each second of the run
 */
record PeerResult(String peer, int round, long operations, long bytes, double seconds, double operationsPerSecond,
    double megabytesPerSecond, Map<String, Double> latencyMillis, @Nullable Double serverCpuSeconds,
    @Nullable Long serverPeakRssBytes, Map<String, Long> errors, Map<Double, Double> percentiles,
    List<Long> operationsPerSecondSeries) {

  /** The percentiles the distribution chart shows. */
  static final double[] CHART_PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

  static PeerResult of(String peer, int round, Stats stats, double seconds, @Nullable Double cpu, @Nullable Long rss) {
    Histogram h = stats.histogram();
    var latency = new LinkedHashMap<String, Double>();
    for (var p : new double[][] {{50, 0}, {90, 0}, {99, 0}, {99.9, 0}}) {
      latency.put("p" + (p[0] == Math.rint(p[0]) ? String.valueOf((int) p[0]) : String.valueOf(p[0])),
          h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(p[0]) / 1000.0);
    }
    latency.put("max", h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1000.0);
    var curve = new LinkedHashMap<Double, Double>();
    if (h.getTotalCount() > 0) {
      for (double p : CHART_PERCENTILES) {
        curve.put(p, h.getValueAtPercentile(p) / 1000.0);
      }
    }
    long ops = stats.operations();
    return new PeerResult(peer, round, ops, stats.bytes(), seconds, stats.operationsForRate() / seconds,
        stats.bytesForRate() / seconds / 1e6,
        latency, cpu, rss, stats.errors(), curve, stats.perSecond());
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
