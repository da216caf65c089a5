package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.SpdtRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the ALG's sessions share: the configuration, the data-mapping factory, the pending SPSV
 * identifiers of the single-port gateway, and the session count.
 */
final class AlgContext {

  private final AlgConfig config;
  private final DataChannels dataChannels;
  private final SpdtRegistry spdt;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<AlgSession> sessions = ConcurrentHashMap.newKeySet();

  AlgContext(AlgConfig config, DataChannels dataChannels, SpdtRegistry spdt) {
    this.config = config;
    this.dataChannels = dataChannels;
    this.spdt = spdt;
  }

  AlgConfig config() {
    return config;
  }

  DataChannels dataChannels() {
    return dataChannels;
  }

  SpdtRegistry spdt() {
    return spdt;
  }

  /** Counts a new session, unless the limit is reached. */
  boolean tryOpen() {
    while (true) {
      int now = open.get();
      if (now >= config.get(AlgOptions.MAX_SESSIONS)) {
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void opened(AlgSession session) {
    sessions.add(session);
  }

  /** A session ended, or became an SPDT data connection; counted once. */
  void released(AlgSession session) {
    if (sessions.remove(session)) {
      open.decrementAndGet();
      config.metrics().sessionClosed(session.mode().label());
    }
  }

  /** Gives back a slot taken by {@link #tryOpen} for a session that never started. */
  void abandoned() {
    open.decrementAndGet();
  }

  int openSessions() {
    return open.get();
  }

  Set<AlgSession> sessions() {
    return Set.copyOf(sessions);
  }
}
