package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.alg.metrics.AlgMetricsRecorder;
import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.config.OptionValues;
import java.util.List;
import java.util.Optional;
import reactor.netty.resources.LoopResources;

/**
 * The ALG's read-only configuration: its listeners, where its meters go, and the values of the
 * {@link AlgOptions} ({@link #get}). Immutable: each {@code with} method returns a copy;
 * {@link FtpAlg} is the way applications build one.
 */
public final class AlgConfig {

  private final List<AlgListener> listeners;
  private final AlgMetricsRecorder metrics;
  private final OptionValues options;
  private final Optional<LoopResources> loops;

  private AlgConfig(List<AlgListener> listeners, AlgMetricsRecorder metrics, OptionValues options,
      Optional<LoopResources> loops) {
    this.listeners = List.copyOf(listeners);
    this.metrics = metrics;
    this.options = options;
    this.loops = loops;
  }

  /** No listener yet, every option at its default, no meters, the ALG's own event loops. */
  public static AlgConfig defaults() {
    return of(List.of());
  }

  /** These listeners, every option at its default, no meters. */
  public static AlgConfig of(List<AlgListener> listeners) {
    return new AlgConfig(listeners, AlgMetricsRecorder.NOOP, OptionValues.defaults(), Optional.empty());
  }

  /** A copy with one more listener. */
  public AlgConfig withListener(AlgListener listener) {
    var all = new java.util.ArrayList<>(listeners);
    all.add(listener);
    return new AlgConfig(all, metrics, options, loops);
  }

  /** The listeners, each with its upstream server and mode. */
  public List<AlgListener> listeners() {
    return listeners;
  }

  /** Where the ALG's meters go. */
  public AlgMetricsRecorder metrics() {
    return metrics;
  }

  /** The value of an option, or its default. */
  public <T> T get(ConfigOption<T> option) {
    return options.get(option);
  }

  /** The value of an option without a default ({@link AlgOptions#DATA_PORTS}), if set. */
  public <T> Optional<T> find(ConfigOption<T> option) {
    return options.find(option);
  }

  /** A copy with the option set; {@link IllegalArgumentException} when the value breaks its constraint. */
  public <T> AlgConfig with(ConfigOption<T> option, T value) {
    return new AlgConfig(listeners, metrics, options.with(option, value), loops);
  }

  /** A copy recording the ALG's meters here. */
  public AlgConfig withMetrics(AlgMetricsRecorder recorder) {
    return new AlgConfig(listeners, recorder, options, loops);
  }

  /**
   * The event loops to run on, when the application supplies them (it then disposes them too);
   * empty: the ALG makes its own and disposes them when it stops.
   */
  public Optional<LoopResources> loops() {
    return loops;
  }

  /** A copy running on these event loops. */
  public AlgConfig withLoops(LoopResources resources) {
    return new AlgConfig(listeners, metrics, options, Optional.of(resources));
  }
}
