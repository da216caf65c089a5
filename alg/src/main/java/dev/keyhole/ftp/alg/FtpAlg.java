package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.alg.metrics.AlgMetricsRecorder;
import dev.keyhole.ftp.config.ConfigOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The ALG as an application builds it, in the shape of {@code FtpServer}: immutable, each method
 * returning a new instance over a read-only {@link AlgConfig}, then {@link #bind()} or
 * {@link #bindNow()} for a {@link DisposableAlg}.
 *
 * <pre>{@code
 * DisposableAlg alg = FtpAlg.create()
 *     .listener(new InetSocketAddress("::", 2121), new InetSocketAddress("192.0.2.10", 21), AlgMode.NAT64)
 *     .option(AlgOptions.MAPPING_TIMEOUT, Duration.ofSeconds(30))
 *     .bindNow();
 * }</pre>
 */
public final class FtpAlg {

  private final AlgConfig config;

  private FtpAlg(AlgConfig config) {
    this.config = config;
  }

  /** No listener yet; every option at its default ({@link AlgConfig#defaults()}). */
  public static FtpAlg create() {
    return new FtpAlg(AlgConfig.defaults());
  }

  /** An ALG with exactly this configuration. */
  public static FtpAlg from(AlgConfig config) {
    return new FtpAlg(config);
  }

  /** Adds a listener: clients connect to {@code listen} and are relayed to {@code upstream} in {@code mode}. */
  public FtpAlg listener(InetSocketAddress listen, InetSocketAddress upstream, AlgMode mode) {
    return new FtpAlg(config.withListener(new AlgListener(listen, upstream, mode)));
  }

  /**
   * Sets one of the {@link AlgOptions}: {@code .option(AlgOptions.MAPPING_TIMEOUT, Duration.ofSeconds(30))}.
   * A value that breaks the option's constraint fails here with {@link IllegalArgumentException}.
   */
  public <T> FtpAlg option(ConfigOption<T> option, T value) {
    return new FtpAlg(config.with(option, value));
  }

  /** Where the ALG's meters go (Micrometer: {@code MicrometerAlgMetricsRecorder}). */
  public FtpAlg metrics(AlgMetricsRecorder recorder) {
    return new FtpAlg(config.withMetrics(recorder));
  }

  /**
   * Runs on the application's event loops, which it disposes; without it the ALG makes its own,
   * one per core, and disposes them when it stops.
   */
  public FtpAlg runOn(LoopResources loops) {
    return new FtpAlg(config.withLoops(loops));
  }

  /** The configuration this builds. */
  public AlgConfig configuration() {
    return config;
  }

  /** Binds every listener; fails without one. */
  public Mono<DisposableAlg> bind() {
    return AlgServer.bind(config);
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
