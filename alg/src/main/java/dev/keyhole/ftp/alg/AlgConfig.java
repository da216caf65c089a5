package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.alg.metrics.AlgMetricsRecorder;
import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.config.OptionValues;
import java.util.List;
import java.util.Optional;

/**
 * The ALG's read-only configuration: its listeners, where its meters go, and the values of the
 * {@link AlgOptions} ({@link #get}). Immutable: each {@code with} method returns a copy;
 * {@link FtpAlg} is the way applications build one.
 */
public final class AlgConfig {

  private final List<AlgListener> listeners;
  private final AlgMetricsRecorder metrics;
  private final OptionValues options;

  private AlgConfig(List<AlgListener> listeners, AlgMetricsRecorder metrics, OptionValues options) {
    if (listeners.isEmpty()) {
      throw new IllegalArgumentException("at least one listener is needed");
    }
    this.listeners = List.copyOf(listeners);
    this.metrics = metrics;
    this.options = options;
  }

  /** These listeners, every option at its default, no meters. */
  public static AlgConfig of(List<AlgListener> listeners) {
    return new AlgConfig(listeners, AlgMetricsRecorder.NOOP, OptionValues.defaults());
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
    return new AlgConfig(listeners, metrics, options.with(option, value));
  }

  /** A copy recording the ALG's meters here. */
  public AlgConfig withMetrics(AlgMetricsRecorder recorder) {
    return new AlgConfig(listeners, recorder, options);
  }
}
