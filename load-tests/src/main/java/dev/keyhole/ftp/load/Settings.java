package dev.keyhole.ftp.load;

import dev.keyhole.ftp.server.DataChannelKind;
import java.time.Duration;
import java.util.Optional;

/**
 * How a scenario runs. Every run is bounded: by {@code count} operations per client, by {@code
 * duration}, or both (whichever ends first).
 *
 * @param clients concurrent clients (sessions)
 * @param count operations per client, or 0 for no count limit (then {@code duration} must be set)
 * @param duration how long to run, or empty for no time limit (then {@code count} must be set)
 * @param size bytes of the large file (retr-large, stor-large) or of each small file
 * @param files distinct small files (small-files)
 * @param dataChannel the data channel, or the best the server offers
 * @param quiet no progress line
 * @param warmup untimed operations per client before the timed part (JIT, caches, page cache)
 */
record Settings(int clients, int count, Optional<Duration> duration, long size, int files,
    Optional<DataChannelKind> dataChannel, boolean quiet, int warmup) {

  /** Settings without warm-up. */
  Settings(int clients, int count, Optional<Duration> duration, long size, int files,
      Optional<DataChannelKind> dataChannel, boolean quiet) {
    this(clients, count, duration, size, files, dataChannel, quiet, 0);
  }

  /** The same clients doing {@link #warmup} operations each. */
  Settings forWarmup() {
    return new Settings(clients, warmup, Optional.empty(), size, files, dataChannel, true, 0);
  }

  Settings {
    if (clients < 1) {
      throw new IllegalArgumentException("--clients must be at least 1");
    }
    if (count < 1 && duration.isEmpty()) {
      throw new IllegalArgumentException("give --count or --duration: every run is bounded");
    }
  }
}
