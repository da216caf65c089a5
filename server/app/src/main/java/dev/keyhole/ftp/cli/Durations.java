package dev.keyhole.ftp.cli;

import java.time.Duration;
import java.util.Locale;

/** Parses durations as operators write them: {@code 300}, {@code 90s}, {@code 5m}, {@code 1h}, {@code 250ms} or ISO {@code PT5M}. */
public final class Durations {

  private Durations() {}

  /** Parses a duration, or fails with a message that shows the accepted forms. */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 300, 90s, 5m, 1h, 250ms)");
    }
  }
}
