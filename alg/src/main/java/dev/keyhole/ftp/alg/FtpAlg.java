package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.alg.metrics.AlgMetricsRecorder;
import dev.keyhole.ftp.config.ConfigOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * The ALG as an application builds it, in the shape of {@code FtpServer}: immutable, each method
 * returning a new instance, then {@link #bind()} or {@link #bindNow()} for a {@link DisposableAlg}.
 *
 * <pre>{@code
 * DisposableAlg alg = FtpAlg.create()
 *     .listener(new InetSocketAddress("::", 2121), new InetSocketAddress("192.0.2.10", 21), AlgMode.NAT64)
 *     .option(AlgOptions.MAPPING_TIMEOUT, Duration.ofSeconds(30))
 *     .bindNow();
 * }</pre>
 */
public final class FtpAlg {

  private final List<AlgListener> listeners;
  private final List<UnaryOperator<AlgConfig>> options;

  private FtpAlg(List<AlgListener> listeners, List<UnaryOperator<AlgConfig>> options) {
    this.listeners = List.copyOf(listeners);
    this.options = List.copyOf(options);
  }

  /** No listener yet; the defaults of {@link AlgConfig#of}. */
  public static FtpAlg create() {
    return new FtpAlg(List.of(), List.of());
  }

  /** Adds a listener: clients connect to {@code listen} and are relayed to {@code upstream} in {@code mode}. */
  public FtpAlg listener(InetSocketAddress listen, InetSocketAddress upstream, AlgMode mode) {
    var more = new ArrayList<>(listeners);
    more.add(new AlgListener(listen, upstream, mode));
    return new FtpAlg(more, options);
  }

  private FtpAlg with(UnaryOperator<AlgConfig> option) {
    var more = new ArrayList<>(options);
    more.add(option);
    return new FtpAlg(listeners, more);
  }

  /**
   * Sets one of the {@link AlgOptions}: {@code .option(AlgOptions.MAPPING_TIMEOUT, Duration.ofSeconds(30))}.
   * A value that breaks the option's constraint fails here with {@link IllegalArgumentException}.
   */
  public <T> FtpAlg option(ConfigOption<T> option, T value) {
    option.check(value);
    return with(c -> c.with(option, value));
  }

  /** Where the ALG's meters go. */
  public FtpAlg metrics(AlgMetricsRecorder recorder) {
    return with(c -> c.withMetrics(recorder));
  }

  /** The configuration this builds. Fails without a listener. */
  public AlgConfig configuration() {
    if (listeners.isEmpty()) {
      throw new IllegalStateException("an ALG needs a listener: call listener(listen, upstream, mode)");
    }
    AlgConfig config = AlgConfig.of(listeners);
    for (var option : options) {
      config = option.apply(config);
    }
    return config;
  }

  /** Binds every listener. */
  public Mono<DisposableAlg> bind() {
    return Mono.defer(() -> AlgServer.bind(configuration()));
  }

  /** Binds, waiting at most 30 seconds. */
  public DisposableAlg bindNow() {
    return bindNow(Duration.ofSeconds(30));
  }

  /** Binds, waiting at most {@code timeout}. */
  public DisposableAlg bindNow(Duration timeout) {
    var alg = bind().block(timeout);
    if (alg == null) {
      throw new IllegalStateException("the ALG did not bind");
    }
    return alg;
  }
}
