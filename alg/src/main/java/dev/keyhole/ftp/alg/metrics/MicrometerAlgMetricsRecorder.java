package dev.keyhole.ftp.alg.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** Records the ALG's meters ({@link AlgMeters}) in a Micrometer registry. */
public final class MicrometerAlgMetricsRecorder implements AlgMetricsRecorder {

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger();

  /** Records into {@code registry}. */
  public MicrometerAlgMetricsRecorder(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(AlgMeters.SESSIONS_ACTIVE.meterName(), active, AtomicInteger::get)
        .description("ALG control sessions open now").register(registry);
  }

  @Override
  public void sessionOpened(String mode) {
    active.incrementAndGet();
    registry.counter(AlgMeters.SESSIONS_OPENED.meterName(), "mode", mode).increment();
  }

  @Override
  public void sessionClosed(String mode) {
    active.decrementAndGet();
  }

  @Override
  public void sessionRejected(String reason) {
    registry.counter(AlgMeters.SESSIONS_REJECTED.meterName(), "reason", reason).increment();
  }

  @Override
  public void translated(String kind) {
    registry.counter(AlgMeters.TRANSLATIONS.meterName(), "kind", kind).increment();
  }

  @Override
  public void relayed(long bytes, String method) {
    Counter.builder(AlgMeters.RELAYED.meterName()).baseUnit("bytes").tag("method", method)
        .description("bytes relayed on data connections").register(registry).increment(bytes);
  }

  @Override
  public void mappingFailed(String reason) {
    registry.counter(AlgMeters.MAPPING_FAILURES.meterName(), "reason", reason).increment();
  }
}
