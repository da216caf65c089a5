package dev.keyhole.ftp.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as operators write them: {@code 300} (seconds), {@code 90s}, {@code 5m}, {@code 1h},
 * {@code 250ms} or ISO {@code PT5M}; and back, in the largest whole unit.
 */
public final class Durations {

  private Durations() {}

  /** Parses a duration, or fails with a message that shows the accepted forms. */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.startsWith("pt")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(t));
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return d;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 300, 90s, 5m, 1h, 250ms)");
    }
  }

  /** The duration in its largest whole unit: {@code 5m}, {@code 90s}, {@code 250ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
