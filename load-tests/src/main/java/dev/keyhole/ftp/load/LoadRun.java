package dev.keyhole.ftp.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyhole.ftp.client.FtpUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs one scenario against targets: peers the harness starts (one after another, alternating
 * round by round, so that their figures come from the same conditions) or a given URL.
 *
 * @param scenario what to run
 * @param settings how
 * @param peers peers to start
 * @param targets servers already running
 * @param rounds how many times each target runs
 * @param work where peers keep their files and logs
 */
record LoadRun(Scenario scenario, Settings settings, List<Peer.Spec> peers, List<FtpUrl> targets, int rounds, Path work) {

  /** The results of the run. */
  record Report(String scenario, Settings settings, Instant start, List<PeerResult> results) {

    /** The best throughput of all results: the ratios' reference. */
    double best() {
      return results.stream().mapToDouble(r -> r.operationsPerSecond()).max().orElse(0);
    }

    long errors() {
      return results.stream().mapToLong(PeerResult::errorCount).sum();
    }
  }

  Report run(PrintStream progress) throws IOException, InterruptedException {
    var start = Instant.now();
    var results = new ArrayList<PeerResult>();
    for (int round = 1; round <= rounds; round++) {
      for (Peer.Spec kind : peers) {
        Peer peer;
        try {
          peer = Peer.start(kind, Files.createDirectories(work.resolve(kind.label() + "-" + round)));
        } catch (Peer.Unavailable e) {
          progress.println("skipped " + kind.label() + ": " + e.getMessage());
          continue;
        }
        try (peer) {
          var url = FtpUrl.parse(peer.url());
          scenario.prepare(url, settings).block(Duration.ofMinutes(10));
          // the server's CPU over the timed part only: a warm-up's work (a JVM's compiling among it)
          // counted against the timed operations alone made every peer's CPU per operation too
          // high, the JVMs' most
          double[] cpu0 = {0};
          var stats = new Stats();
          Disposable sampler = Flux.interval(Duration.ofMillis(500)).subscribe(t -> peer.sampleRss());
          double seconds;
          try {
            seconds = timed(url, stats, progress, kind.label(), () -> cpu0[0] = peer.cpuSeconds());
          } finally {
            sampler.dispose();
          }
          peer.sampleRss();
          results.add(PeerResult.of(kind.label(), round, stats, seconds, peer.cpuSeconds() - cpu0[0],
              peer.peakRss().orElse(null)));
        }
      }
      for (FtpUrl url : targets) {
        scenario.prepare(url, settings).block(Duration.ofMinutes(10));
        var stats = new Stats();
        double seconds = timed(url, stats, progress, url.toString(), () -> { });
        results.add(PeerResult.of(url.toString(), round, stats, seconds, null, null));
      }
    }
    return new Report(scenario.label, settings, start, results);
  }

  /** Runs the warm-up, then {@code warm}, then the timed part; returns the timed part's seconds. */
  private double timed(FtpUrl url, Stats stats, PrintStream progress, String name, Runnable warm) {
    if (settings.warmup() > 0) {
      // idle sessions do nothing to warm up: log in and out instead
      var warmup = scenario == Scenario.IDLE ? Scenario.SESSIONS : scenario;
      warmup.run(url, settings.forWarmup(), new Stats()).block();
    }
    warm.run();
    long start = System.nanoTime();
    Disposable ticker = Flux.interval(Duration.ofSeconds(1)).subscribe(t -> {
      stats.sampleSecond();
      if (settings.quiet()) {
        return;
      }
      double s = (System.nanoTime() - start) / 1e9;
      progress.printf(Locale.ROOT, "%s %s: %5.0f s  %8d ops  %8.1f ops/s  %8.1f MB/s  %d errors%n", scenario.label, name,
          s, stats.operations(), stats.operations() / s, stats.bytes() / s / 1e6, stats.errorCount());
    });
    Disposable deadline = settings.duration()
        .map(d -> Mono.delay(d).subscribe(t -> stats.markDeadline()))
        .orElse(Disposables.disposed());
    try {
      scenario.run(url, settings, stats).block();
    } finally {
      ticker.dispose();
      deadline.dispose();
    }
    if (stats.deadlineReached()) {
      // rates over the duration: stragglers that finished or timed out later do not stretch it
      return settings.duration().orElseThrow().toNanos() / 1e9;
    }
    return Math.max((System.nanoTime() - start) / 1e9, 1e-9);
  }

  /** Prints the results as a table, with each target's throughput as a ratio to the best. */
  static void print(Report report, PrintStream out) {
    out.printf(Locale.ROOT, "%n%s  clients=%d size=%d%n", report.scenario(), report.settings().clients(),
        report.settings().size());
    out.printf(Locale.ROOT, "%-22s %5s %9s %10s %9s %9s %9s %9s %9s %9s %8s %9s %7s%n", "target", "round", "ops",
        "ops/s", "MB/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "cpu s", "rss MB", "errors");
    double best = report.best();
    for (var r : report.results()) {
      Map<String, Double> l = r.latencyMillis();
      out.printf(Locale.ROOT, "%-22s %5d %9d %10.1f %9.1f %9.2f %9.2f %9.2f %9.2f %9.2f %8s %9s %7d   %.2fx of best%n",
          r.peer().length() > 22 ? r.peer().substring(0, 22) : r.peer(), r.round(), r.operations(),
          r.operationsPerSecond(), r.megabytesPerSecond(), l.get("p50"), l.get("p90"), l.get("p99"), l.get("p99.9"),
          l.get("max"), r.serverCpuSeconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.serverCpuSeconds()),
          r.serverPeakRssBytes() == null ? "-" : String.valueOf(r.serverPeakRssBytes() / (1024 * 1024)),
          r.errorCount(), best == 0 ? 0.0 : r.operationsPerSecond() / best);
    }
    report.results().stream().filter(r -> !r.errors().isEmpty())
        .forEach(r -> out.println("errors of " + r.peer() + ": " + r.errors()));
  }

  /** Writes the report as JSON, and its charts as PNG, into {@code dir}; returns the JSON file. */
  static Path write(Report report, Path dir) throws IOException {
    Files.createDirectories(dir);
    String base = report.scenario() + "-" + report.start().toString().replace(':', '-');
    Path file = dir.resolve(base + ".json");
    new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    Charts.write(report, dir.resolve(base));
    return file;
  }

}
