package dev.keyhole.ftp.alg.cli;

import dev.keyhole.ftp.alg.AlgConfig;
import dev.keyhole.ftp.alg.AlgListener;
import dev.keyhole.ftp.alg.AlgMode;
import dev.keyhole.ftp.alg.AlgOptions;
import dev.keyhole.ftp.alg.FtpAlg;
import dev.keyhole.ftp.alg.metrics.MicrometerAlgMetricsRecorder;
import dev.keyhole.ftp.cli.DeclaredOptions;
import dev.keyhole.ftp.cli.MetricsEndpoint;
import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.config.OptionValues;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;
import reactor.netty.DisposableServer;

/** {@code keyhole alg}: runs the ALG until interrupted. */
@Command(name = "keyhole alg", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Run the FTP ALG: a proxy that translates FTP between IPv4 and IPv6 (nat46, nat64), puts a",
      "server behind one port (spsv-gateway) or lets any client use a single-port server (spsv-adapter).",
      "Each --listen goes with the --upstream and --mode at the same position; a single --mode applies",
      "to every listener."})
public final class AlgCommand implements Callable<Integer> {

  @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT", description = "where clients connect: 0.0.0.0:21, [::]:21; repeatable")
  List<String> listen = new ArrayList<>();

  @Option(names = "--upstream", required = true, paramLabel = "HOST:PORT", description = "the FTP server for the --listen at the same position")
  List<String> upstream = new ArrayList<>();

  @Option(names = "--mode", required = true, paramLabel = "MODE", description = "nat46, nat64, spsv-gateway or spsv-adapter")
  List<String> mode = new ArrayList<>();

  @Option(names = "--metrics-port", paramLabel = "N", description = "serve Prometheus /metrics and /health on this port of the first --listen address")
  @Nullable Integer metricsPort;

  /** The command as picocli parsed it; null when a test made the command itself. */
  @Spec @Nullable CommandSpec spec;

  public static void main(String[] args) {
    var commandLine = new CommandLine(new AlgCommand());
    DeclaredOptions.add(commandLine.getCommandSpec(), AlgOptions.ALL, Map.of());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("keyhole alg: " + dev.keyhole.ftp.cli.KeyholeCli.describe(e));
      return 2;
    });
    System.exit(commandLine.execute(args));
  }

  /** The configuration these options describe. */
  AlgConfig config() {
    if (upstream.size() != listen.size() || (mode.size() != 1 && mode.size() != listen.size())) {
      throw new IllegalArgumentException("give one --upstream per --listen, and one --mode or one per --listen");
    }
    var listeners = new ArrayList<AlgListener>();
    for (int i = 0; i < listen.size(); i++) {
      listeners.add(new AlgListener(address(listen.get(i)), address(upstream.get(i)),
          AlgMode.parse(mode.get(mode.size() == 1 ? 0 : i))));
    }
    var values = DeclaredOptions.over(OptionValues.defaults(), DeclaredOptions.given(spec, AlgOptions.ALL));
    var config = AlgConfig.of(listeners);
    for (var option : AlgOptions.ALL) {
      config = apply(config, values, option);
    }
    return config;
  }

  private static <T> AlgConfig apply(AlgConfig config, OptionValues values, ConfigOption<T> option) {
    return values.isSet(option) ? config.with(option, values.get(option)) : config;
  }

  @Override
  public Integer call() throws Exception {
    var config = config();
    PrometheusMeterRegistry registry = null;
    if (metricsPort != null) {
      registry = MetricsEndpoint.registry();
      config = config.withMetrics(new MicrometerAlgMetricsRecorder(registry));
    }
    var alg = FtpAlg.from(config).bind().block(Duration.ofSeconds(30));
    if (alg == null) {
      throw new IllegalStateException("the ALG did not bind");
    }
    var listeners = alg.configuration().listeners();
    for (int i = 0; i < listeners.size(); i++) {
      var l = listeners.get(i);
      System.out.println("Keyhole ALG (" + l.mode().label() + ") listening on " + text(alg.addresses().get(i))
          + " for " + text(l.upstream()));
    }
    DisposableServer metrics = registry == null ? null : MetricsEndpoint.start(
        listeners.get(0).listen().getAddress().getHostAddress(), metricsPort, registry, alg::openSessions, alg::isDisposed);
    if (metrics != null) {
      System.out.println("  metrics: " + text((InetSocketAddress) metrics.address()) + "/metrics");
    }
    System.out.flush();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (metrics != null) {
        metrics.disposeNow();
      }
      alg.disposeNow(Duration.ofSeconds(10));
      stopped.countDown();
    }, "keyhole-alg-shutdown"));
    stopped.await();
    return 0;
  }

  private static String text(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** {@code host:port}, {@code [v6]:port}. */
  static InetSocketAddress address(String spec) {
    String s = spec.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || (s.startsWith("[") && s.charAt(colon - 1) != ']')) {
      throw new IllegalArgumentException("expected HOST:PORT or [IPv6]:PORT, got " + spec);
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("put an IPv6 address in brackets: [" + host + "]:PORT");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(s.substring(colon + 1)));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("bad address " + spec + ": " + e.getMessage());
    }
  }
}
