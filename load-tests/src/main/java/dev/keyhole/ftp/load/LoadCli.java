package dev.keyhole.ftp.load;

import dev.keyhole.ftp.client.FtpUrl;
import dev.keyhole.ftp.config.Durations;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code keyhole load}: runs a scenario against peers it starts, or against a running server. */
@Command(name = "keyhole load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Load an FTP server and report throughput, latency percentiles, server CPU and memory.",
        "Every downloaded byte is checked against SHA-256; a run with any error exits 1."})
public final class LoadCli implements Callable<Integer> {

  @Parameters(paramLabel = "SCENARIO", description = "retr-large, stor-large, small-files, sessions, idle, mixed, or soak (failure paths for --duration: see docs/benchmarks.md)")
  String scenario;

  @Option(names = "--peer", paramLabel = "NAME", description = "start this server on loopback and load it: keyhole, apache-ftpserver, vsftpd, pure-ftpd, pyftpdlib; NAME+tls for explicit FTPS (keyhole, vsftpd, pure-ftpd); repeatable")
  List<String> peers = new ArrayList<>();

  @Option(names = "--target", paramLabel = "URL", description = "load a running server: ftp://user:pass@host:port/ (ftpes:// explicit FTPS, ftps:// implicit; any certificate accepted); repeatable")
  List<String> targets = new ArrayList<>();

  @Option(names = "--clients", paramLabel = "N", description = "concurrent clients (default ${DEFAULT-VALUE})")
  int clients = 1;

  @Option(names = "--count", paramLabel = "N", description = "operations per client (default 1 for retr-large and stor-large)")
  @Nullable Integer count;

  @Option(names = "--duration", paramLabel = "DURATION", description = "run this long (default 10s for small-files, sessions, idle and mixed)")
  @Nullable String duration;

  @Option(names = "--size", paramLabel = "SIZE", description = "file size: 4k, 64m, 1g... (default 64m, and 4k for small-files and mixed)")
  @Nullable String size;

  @Option(names = "--files", paramLabel = "N", description = "distinct files for small-files (default ${DEFAULT-VALUE})")
  int files = 50;

  @Option(names = "--data-channel", paramLabel = "KIND", description = "spsv, epsv, pasv, port or eprt (default: the best the server offers)")
  @Nullable String dataChannel;

  @Option(names = "--warmup", paramLabel = "N", description = "untimed operations per client first; for idle, logins and logouts (default ${DEFAULT-VALUE})")
  int warmup = 1;

  @Option(names = "--ramp", paramLabel = "N", description = "start N clients per second instead of all at once; part of --duration, which for idle must outlast it (default: all at once)")
  int ramp;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "how long one step (connect, reply, data) may take before it is an error (default ${DEFAULT-VALUE})")
  String timeout = "60s";

  @Option(names = "--rounds", paramLabel = "N", description = "run each target this many times, alternating (default ${DEFAULT-VALUE})")
  int rounds = 1;

  @Option(names = "--out", paramLabel = "DIR", description = "where the JSON report goes (default ${DEFAULT-VALUE})")
  Path out = Path.of("load-results");

  @Option(names = "--source-address", paramLabel = "ADDR", description = "connect from this local address (a loopback "
      + "one such as 127.0.0.2, or a range 127.0.0.2-127.0.0.50); repeatable; clients take them in turn")
  List<String> sourceAddresses = new ArrayList<>();

  @Option(names = "--keepalive", paramLabel = "DURATION", description = "idle: each session sends NOOP this often "
      + "(spread over the period), as clients that keep their sessions alive do; default: only at the end")
  @Nullable String keepalive;

  @Option(names = "--quiet", description = "no progress lines")
  boolean quiet;

  /**
   * The soak scenario against one server: a Keyhole it starts (its disk and process checked too),
   * or a running one (checked through the protocol only). Exits 1 on any problem.
   */
  private int soak() throws Exception {
    if (peers.size() + targets.size() > 1) {
      throw new IllegalArgumentException("soak runs against one server: one --peer or one --target");
    }
    var d = Optional.ofNullable(duration).map(Durations::parse).orElse(Duration.ofMinutes(1));
    int n = clients > 1 ? clients : 16;
    Soak.Result result;
    if (!targets.isEmpty()) {
      var url = FtpUrl.parse(targets.get(0));
      result = new Soak(url.host(), url.port(), url.user(), url.password(), 1).run(d, n, Optional.empty(), OptionalLong.empty(),
          quiet ? null : System.err);
    } else {
      var spec = peers.isEmpty() ? new Peer.Spec(Peer.Kind.KEYHOLE, false) : Peer.Spec.parse(peers.get(0));
      try (var peer = Peer.start(spec, Files.createTempDirectory("keyhole-soak"))) {
        result = new Soak("127.0.0.1", peer.port, Peer.USER, Peer.PASSWORD, 1).run(d, n, Optional.of(peer.root),
            OptionalLong.of(peer.pid()), quiet ? null : System.err);
      }
    }
    System.out.println("soak: " + d.toSeconds() + " s, " + n + " clients");
    result.operations().forEach((op, count) -> System.out.printf("  %-15s %d%n", op.name().toLowerCase(Locale.ROOT), count));
    System.out.println("  downloads verified: " + result.verifiedDownloads());
    result.before().ifPresent(b -> System.out.printf("  server before: %d fds, %d threads, %d MiB; after: %s%n",
        b.fds(), b.threads(), b.memory() >> 20, result.after().map(a -> a.fds() + " fds, " + a.threads() + " threads, "
            + (a.memory() >> 20) + " MiB").orElse("-")));
    result.problems().forEach(p -> System.out.println("  PROBLEM: " + p));
    System.out.println(result.problems().isEmpty() ? "soak: no problem" : "soak: " + result.problems().size() + " problems");
    return result.problems().isEmpty() ? 0 : 1;
  }

  public static void main(String[] args) {
    int code = new CommandLine(new LoadCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("keyhole load: " + (e.getMessage() != null ? e.getMessage() : e));
          return 1;
        })
        .execute(args);
    System.exit(code);
  }

  /** The addresses of {@code --source-address}: literals, and IPv4 ranges {@code A-B} (at most 65,536). */
  static List<InetAddress> sources(List<String> given) {
    var out = new ArrayList<InetAddress>();
    for (String text : given) {
      int dash = text.indexOf('-');
      if (dash < 0) {
        out.add(literal(text));
        continue;
      }
      long from = v4(literal(text.substring(0, dash)), text);
      long to = v4(literal(text.substring(dash + 1)), text);
      if (to < from || to - from >= 65_536) {
        throw new IllegalArgumentException("--source-address: not a range of at most 65536 addresses: " + text);
      }
      for (long a = from; a <= to; a++) {
        out.add(literal((a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255)));
      }
    }
    return out;
  }

  private static InetAddress literal(String text) {
    return dev.keyhole.ftp.protocol.AddressFormats.literal(text.trim(), text.contains(":"))
        .orElseThrow(() -> new IllegalArgumentException("--source-address: not an IP address: " + text));
  }

  private static long v4(InetAddress address, String text) {
    if (!(address instanceof java.net.Inet4Address)) {
      throw new IllegalArgumentException("--source-address: ranges are of IPv4 addresses: " + text);
    }
    byte[] b = address.getAddress();
    return (b[0] & 255L) << 24 | (b[1] & 255) << 16 | (b[2] & 255) << 8 | (b[3] & 255);
  }

  @Override
  public Integer call() throws Exception {
    if (scenario.equals("soak")) {
      return soak();
    }
    var which = Scenario.parse(scenario);
    boolean large = which == Scenario.RETR_LARGE || which == Scenario.STOR_LARGE;
    int n = which == Scenario.IDLE ? 0 : count != null ? count : duration == null && large ? 1 : 0;
    Optional<Duration> d = Optional.ofNullable(duration).map(Durations::parse)
        .or(() -> n == 0 ? Optional.of(Duration.ofSeconds(10)) : Optional.empty());
    long bytes = size != null ? parseSize(size)
        : which == Scenario.SMALL_FILES || which == Scenario.MIXED ? 4096 : 64L << 20;
    var settings = new Settings(clients, n, d, bytes, files,
        Optional.ofNullable(dataChannel).map(k -> DataChannelKind.valueOf(k.toUpperCase(Locale.ROOT))), quiet, warmup, ramp, Durations.parse(timeout),
        sources(sourceAddresses), Optional.ofNullable(keepalive).map(Durations::parse));
    if (which == Scenario.IDLE && ramp > 0 && d.orElseThrow().toMillis() <= clients * 1000L / ramp) {
      throw new IllegalArgumentException("--duration must outlast the ramp (" + clients + " clients at " + ramp
          + " a second take " + Math.ceil((double) clients / ramp) + " s) for idle sessions to be held together");
    }
    var kinds = peers.stream().map(Peer.Spec::parse).toList();
    var urls = targets.stream().map(FtpUrl::parse).toList();
    if (kinds.isEmpty() && urls.isEmpty()) {
      kinds = List.of(new Peer.Spec(Peer.Kind.KEYHOLE, false));
    }
    Path work = Files.createTempDirectory("keyhole-load");
    var report = new LoadRun(which, settings, kinds, urls, rounds, work).run(System.err);
    LoadRun.print(report, System.out);
    System.out.println("report: " + LoadRun.write(report, out) + " (and -latency, -throughput, -peers .png beside it)");
    return report.errors() > 0 ? 1 : 0;
  }

  static long parseSize(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1;
    };
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      return Long.parseLong(digits) * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size: " + text + " (examples: 4096, 4k, 64m, 1g)");
    }
  }
}
