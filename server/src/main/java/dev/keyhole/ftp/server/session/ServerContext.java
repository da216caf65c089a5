package dev.keyhole.ftp.server.session;

import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.data.RateLimits;
import dev.keyhole.ftp.server.tls.internal.ServerTls;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.SpdtRegistry;
import java.util.Optional;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * What every session of one server shares: the configuration, the scheduler for blocking calls
 * (virtual threads), the data-channel factory and the event sink.
 *
 * @param config the server's configuration
 * @param blocking the scheduler for file-system and other blocking calls
 * @param dataChannels opens passive listeners and active connections
 * @param events where events are published
 * @param spdt the pending SPSV identifiers
 * @param tls the TLS context when FTPS is configured
 * @param bans failed logins, bans and account locks
 * @param rates the bandwidth limits of data connections
 */
public record ServerContext(FtpServerConfig config, Scheduler blocking, DataChannels dataChannels,
    Sinks.Many<FtpEvent> events, SpdtRegistry spdt, Optional<ServerTls> tls, Bans bans, RateLimits rates) {

  /**
   * Publishes an event. Subscribers share a buffer of {@link #EVENT_BUFFER} events: one that falls
   * further behind than that loses the newest events (the server never waits for it), and each
   * loss is counted and logged at WARN once per thousand, which is the overflow policy.
   */
  public void publish(FtpEvent event) {
    events.emitNext(event, (signal, result) -> {
      if (result == Sinks.EmitResult.FAIL_NON_SERIALIZED) {
        return true; // another thread is emitting: try again at once
      }
      if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
        long lost = DROPPED.incrementAndGet();
        if (lost % 1000 == 1) {
          LOG.warn("{} event(s) dropped: an events() subscriber is more than {} events behind", lost, EVENT_BUFFER);
        }
      }
      return false;
    });
  }

  /** Events kept for subscribers that are behind. */
  public static final int EVENT_BUFFER = 16_384;
  private static final java.util.concurrent.atomic.AtomicLong DROPPED = new java.util.concurrent.atomic.AtomicLong();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerContext.class);
}
