package dev.keyhole.ftp.alg.metrics;

/** The meters {@link MicrometerAlgMetricsRecorder} registers, in one place. */
public enum AlgMeters {
  /** Gauge: control sessions open now. */
  SESSIONS_ACTIVE("keyhole.alg.sessions.active"),
  /** Counter, tag {@code mode}: control sessions begun. */
  SESSIONS_OPENED("keyhole.alg.sessions.opened"),
  /** Counter, tag {@code reason}: connections refused. */
  SESSIONS_REJECTED("keyhole.alg.sessions.rejected"),
  /** Counter, tag {@code kind}: translations. */
  TRANSLATIONS("keyhole.alg.translations"),
  /** Counter (bytes): bytes relayed on data connections, by {@code method} ({@code splice} or {@code copy}). */
  RELAYED("keyhole.alg.relayed"),
  /** Counter, tag {@code reason}: data mappings that failed. */
  MAPPING_FAILURES("keyhole.alg.mapping.failures");

  private final String meterName;

  AlgMeters(String meterName) {
    this.meterName = meterName;
  }

  /** The Micrometer name. */
  public String meterName() {
    return meterName;
  }
}
