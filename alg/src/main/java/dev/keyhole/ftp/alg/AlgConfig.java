package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.alg.metrics.AlgMetricsRecorder;
import dev.keyhole.ftp.transport.PortRange;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The ALG's configuration.
 *
 * @param listeners the listeners, each with its upstream server and mode
 * @param dataPorts ports for the ALG's data mappings; when empty, 10000 up to the kernel's
 *     ephemeral range, picked at random as the server's passive ports are
 * @param mappingTimeout how long a data mapping waits for its connection (RFC 6384 section 12: at
 *     least 30 s)
 * @param idleTimeout a control connection with no traffic this long, and no data relay running,
 *     is closed; a data relay that moves nothing this long too
 * @param maxSessions control sessions at once over all listeners; beyond, new connections get 421
 * @param strictPasvAddress answer 425 when the address in a server's 227 is not the server's own
 *     (RFC 6384 section 5: MAY); by default the address is ignored, as most clients do
 * @param maxLineLength the longest command line relayed
 * @param metrics where the ALG's meters go
 * @param splice relay data connections socket to socket in the kernel where the platform allows
 *     (Linux, epoll), instead of through buffers
 */
public record AlgConfig(List<AlgListener> listeners, Optional<PortRange> dataPorts, Duration mappingTimeout,
    Duration idleTimeout, int maxSessions, boolean strictPasvAddress, int maxLineLength, AlgMetricsRecorder metrics,
    boolean splice) {

  public AlgConfig {
    listeners = List.copyOf(listeners);
    if (listeners.isEmpty()) {
      throw new IllegalArgumentException("at least one listener is needed");
    }
    if (mappingTimeout.compareTo(Duration.ofSeconds(1)) < 0 || maxSessions < 1 || maxLineLength < 16) {
      throw new IllegalArgumentException("timeouts and limits must be positive");
    }
  }

  /** These listeners with the defaults: 60 s mappings, 10 min idle, 2000 sessions. */
  public static AlgConfig of(List<AlgListener> listeners) {
    return new AlgConfig(listeners, Optional.empty(), Duration.ofSeconds(60), Duration.ofMinutes(10), 2000, false, 4096,
        AlgMetricsRecorder.NOOP, true);
  }

  public AlgConfig withDataPorts(PortRange range) {
    return new AlgConfig(listeners, Optional.of(range), mappingTimeout, idleTimeout, maxSessions, strictPasvAddress, maxLineLength, metrics, splice);
  }

  public AlgConfig withMappingTimeout(Duration timeout) {
    return new AlgConfig(listeners, dataPorts, timeout, idleTimeout, maxSessions, strictPasvAddress, maxLineLength, metrics, splice);
  }

  public AlgConfig withIdleTimeout(Duration timeout) {
    return new AlgConfig(listeners, dataPorts, mappingTimeout, timeout, maxSessions, strictPasvAddress, maxLineLength, metrics, splice);
  }

  public AlgConfig withMaxSessions(int max) {
    return new AlgConfig(listeners, dataPorts, mappingTimeout, idleTimeout, max, strictPasvAddress, maxLineLength, metrics, splice);
  }

  public AlgConfig withMetrics(AlgMetricsRecorder recorder) {
    return new AlgConfig(listeners, dataPorts, mappingTimeout, idleTimeout, maxSessions, strictPasvAddress, maxLineLength, recorder, splice);
  }

  public AlgConfig withSplice(boolean on) {
    return new AlgConfig(listeners, dataPorts, mappingTimeout, idleTimeout, maxSessions, strictPasvAddress, maxLineLength, metrics, on);
  }

  public AlgConfig withStrictPasvAddress(boolean strict) {
    return new AlgConfig(listeners, dataPorts, mappingTimeout, idleTimeout, maxSessions, strict, maxLineLength, metrics, splice);
  }
}
