package dev.keyhole.ftp.load;

import dev.keyhole.ftp.transport.DataChannelKind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
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
 * @param ramp clients started per second, or 0 to start them all at once; the ramp is part of
 *     the timed run (a storm of connections measures a server's listen backlog; a ramp lets
 *     servers with small backlogs be compared on what comes after)
 * @param timeout how long any one step (connecting, a reply, data) may take before it counts as
 *     an error: a connection a server's full listen queue dropped waits this long for its greeting
 * @param keepalive for idle sessions: a NOOP this often, as a client that keeps its session alive
 *     would (empty: none until the end)
 * @param sources local addresses the clients connect from, in turn (a client's data connections
 *     leave from its control connection's address); empty: the kernel chooses. Several loopback
 *     addresses lift the limit of one address's ports, and give per-address limits real clients.
 */
record Settings(int clients, int count, Optional<Duration> duration, long size, int files,
    Optional<DataChannelKind> dataChannel, boolean quiet, int warmup, int ramp, Duration timeout,
    List<InetAddress> sources, Optional<Duration> keepalive) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Settings connecting from wherever the kernel chooses. */
  Settings(int clients, int count, Optional<Duration> duration, long size, int files,
      Optional<DataChannelKind> dataChannel, boolean quiet, int warmup, int ramp, Duration timeout) {
    this(clients, count, duration, size, files, dataChannel, quiet, warmup, ramp, timeout, List.of(), Optional.empty());
  }

  /** Settings with the default timeout. */
  Settings(int clients, int count, Optional<Duration> duration, long size, int files,
      Optional<DataChannelKind> dataChannel, boolean quiet, int warmup, int ramp) {
    this(clients, count, duration, size, files, dataChannel, quiet, warmup, ramp, DEFAULT_TIMEOUT);
  }

  /** Settings without a ramp. */
  Settings(int clients, int count, Optional<Duration> duration, long size, int files,
      Optional<DataChannelKind> dataChannel, boolean quiet, int warmup) {
    this(clients, count, duration, size, files, dataChannel, quiet, warmup, 0);
  }

  /** Settings without warm-up. */
  Settings(int clients, int count, Optional<Duration> duration, long size, int files,
      Optional<DataChannelKind> dataChannel, boolean quiet) {
    this(clients, count, duration, size, files, dataChannel, quiet, 0, 0);
  }

  /** The same clients doing {@link #warmup} operations each. */
  Settings forWarmup() {
    return new Settings(clients, warmup, Optional.empty(), size, files, dataChannel, true, 0, ramp, timeout, sources,
        keepalive);
  }

  Settings {
    if (clients < 1) {
      throw new IllegalArgumentException("--clients must be at least 1");
    }
    if (count < 1 && duration.isEmpty()) {
      throw new IllegalArgumentException("give --count or --duration: every run is bounded");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be positive");
    }
    sources = List.copyOf(sources);
    if (ramp < 0) {
      throw new IllegalArgumentException("--ramp must be 0 (all at once) or more");
    }
  }
}
