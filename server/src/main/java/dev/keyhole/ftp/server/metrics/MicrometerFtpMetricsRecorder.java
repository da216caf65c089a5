package dev.keyhole.ftp.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Records the meters of {@link FtpMeters} in a Micrometer registry. */
public final class MicrometerFtpMetricsRecorder implements FtpMetricsRecorder {

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger();
  private final Counter opened;
  private final Counter sent;
  private final Counter received;
  private final Timer sessionDuration;

  /** Records into {@code registry}. */
  public MicrometerFtpMetricsRecorder(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(FtpMeters.SESSIONS_ACTIVE.meterName(), active, AtomicInteger::get)
        .description(FtpMeters.SESSIONS_ACTIVE.description())
        .register(registry);
    opened = counter(FtpMeters.SESSIONS_OPENED);
    sent = Counter.builder(FtpMeters.BYTES_SENT.meterName()).baseUnit("bytes")
        .description(FtpMeters.BYTES_SENT.description()).register(registry);
    received = Counter.builder(FtpMeters.BYTES_RECEIVED.meterName()).baseUnit("bytes")
        .description(FtpMeters.BYTES_RECEIVED.description()).register(registry);
    sessionDuration = Timer.builder(FtpMeters.SESSIONS_DURATION.meterName())
        .description(FtpMeters.SESSIONS_DURATION.description()).register(registry);
  }

  private Counter counter(FtpMeters meter) {
    return Counter.builder(meter.meterName()).description(meter.description()).register(registry);
  }

  @Override
  public void sessionOpened() {
    active.incrementAndGet();
    opened.increment();
  }

  @Override
  public void sessionClosed(Duration duration) {
    active.decrementAndGet();
    sessionDuration.record(duration);
  }

  @Override
  public void sessionRejected(String reason) {
    Counter.builder(FtpMeters.SESSIONS_REJECTED.meterName())
        .description(FtpMeters.SESSIONS_REJECTED.description())
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  @Override
  public void commandCompleted(String verb, int replyCode, Duration duration) {
    Timer.builder(FtpMeters.COMMANDS.meterName())
        .description(FtpMeters.COMMANDS.description())
        .tag("verb", verb)
        .tag("reply", (replyCode / 100) + "xx")
        .register(registry)
        .record(duration);
  }

  @Override
  public void transferCompleted(Direction direction, boolean success, long bytes, Duration duration) {
    transferCompleted("default", direction, success, bytes, duration);
  }

  @Override
  public void transferCompleted(String host, Direction direction, boolean success, long bytes, Duration duration) {
    if (direction == Direction.UPLOAD) {
      received.increment(bytes);
    } else {
      sent.increment(bytes);
    }
    Timer.builder(FtpMeters.TRANSFERS.meterName())
        .description(FtpMeters.TRANSFERS.description())
        .tag("direction", direction.name().toLowerCase(Locale.ROOT))
        .tag("outcome", success ? "success" : "failure")
        .tag("host", host)
        .register(registry)
        .record(duration);
  }

  @Override
  public void login(String host, boolean success) {
    Counter.builder(FtpMeters.LOGINS.meterName()).description(FtpMeters.LOGINS.description())
        .tag("host", host).tag("outcome", success ? "success" : "failure").register(registry).increment();
  }

  @Override
  public void banStarted(String kind) {
    Counter.builder(FtpMeters.BANS.meterName()).description(FtpMeters.BANS.description()).tag("kind", kind)
        .register(registry).increment();
  }

  @Override
  public void quotaRefused(String limit) {
    Counter.builder(FtpMeters.QUOTA_REFUSALS.meterName()).description(FtpMeters.QUOTA_REFUSALS.description())
        .tag("limit", limit).register(registry).increment();
  }

  @Override
  public void throttled(Direction direction, long bytes) {
    Counter.builder(FtpMeters.THROTTLED.meterName()).baseUnit("bytes").description(FtpMeters.THROTTLED.description())
        .tag("direction", direction.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment(bytes);
  }

  @Override
  public void spdtRelayed(String outcome, long bytes) {
    Counter.builder(FtpMeters.SPDT_RELAYS.meterName()).description(FtpMeters.SPDT_RELAYS.description())
        .tag("outcome", outcome).register(registry).increment();
    Counter.builder(FtpMeters.SPDT_RELAYED_BYTES.meterName()).baseUnit("bytes")
        .description(FtpMeters.SPDT_RELAYED_BYTES.description()).register(registry).increment(bytes);
  }
}
