package dev.keyhole.ftp.server.listen;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.Replies;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open control sessions, in all and per client address, against the configured limits. */
public final class SessionLimits {

  private final int maxSessions;
  private final int maxPerIp;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

  public SessionLimits(int maxSessions, int maxPerIp) {
    this.maxSessions = maxSessions;
    this.maxPerIp = maxPerIp;
  }

  /** A refusal when the limits are reached, or empty after counting the new session in. */
  public Optional<Refusal> tryOpen(InetAddress address) {
    if (total.incrementAndGet() > maxSessions) {
      total.decrementAndGet();
      return Optional.of(new Refusal("max-sessions", Replies.TOO_MANY_SESSIONS));
    }
    if (maxPerIp > 0) {
      int n = perIp.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
      if (n > maxPerIp) {
        release(address);
        return Optional.of(new Refusal("max-per-ip", Replies.TOO_MANY_FROM_IP));
      }
    }
    return Optional.empty();
  }

  /** Counts a session out again. */
  public void release(InetAddress address) {
    total.decrementAndGet();
    if (maxPerIp > 0) {
      perIp.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }

  public int open() {
    return total.get();
  }

  /**
   * Why a connection was refused.
   *
   * @param reason the metrics tag
   * @param reply the 421 greeting
   */
  public record Refusal(String reason, FtpReply reply) {}
}
