package dev.keyhole.ftp.server.session;

import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.data.Quotas;
import dev.keyhole.ftp.server.data.RateLimits;
import dev.keyhole.ftp.server.tls.internal.ServerTls;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.SpdtRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * What every session of one server shares: the configuration, the scheduler for blocking calls
 * (virtual threads), the data-channel factory, the event sink, the SPSV identifiers, TLS, bans and
 * rate limits. {@link #reconfigure} swaps what a reload changes; whoever reads reads the newest.
 */
public final class ServerContext {

  /** What a reload replaces together. */
  private record Current(FtpServerConfig config, DataChannels dataChannels, Optional<ServerTls> tls, Bans bans,
      RateLimits rates, Quotas quotas) {}

  private final Scheduler blocking;
  private final Sinks.Many<FtpEvent> events;
  private final SpdtRegistry spdt;
  private final AtomicReference<Current> current;

  /**
   * @param config the server's configuration
   * @param blocking the scheduler for file-system and other blocking calls
   * @param dataChannels opens passive listeners and active connections
   * @param events where events are published
   * @param spdt the pending SPSV identifiers
   * @param tls the TLS context when FTPS is configured
   * @param bans failed logins, bans and account locks
   * @param rates the bandwidth limits of data connections
   */
  public ServerContext(FtpServerConfig config, Scheduler blocking, DataChannels dataChannels, Sinks.Many<FtpEvent> events,
      SpdtRegistry spdt, Optional<ServerTls> tls, Bans bans, RateLimits rates) {
    this.blocking = blocking;
    this.events = events;
    this.spdt = spdt;
    this.current = new AtomicReference<>(new Current(config, dataChannels, tls, bans, rates, new Quotas(config)));
  }

  public FtpServerConfig config() {
    return current.get().config();
  }

  public Scheduler blocking() {
    return blocking;
  }

  public DataChannels dataChannels() {
    return current.get().dataChannels();
  }

  public Sinks.Many<FtpEvent> events() {
    return events;
  }

  public SpdtRegistry spdt() {
    return spdt;
  }

  public Optional<ServerTls> tls() {
    return current.get().tls();
  }

  public Bans bans() {
    return current.get().bans();
  }

  public RateLimits rates() {
    return current.get().rates();
  }

  /** The storage quotas of the users' roots. */
  public Quotas quotas() {
    return current.get().quotas();
  }

  /**
   * Replaces the configuration and what is made from it, for the sessions and transfers that start
   * from now on; gives back the rate limits it replaced, for the caller to close once nothing uses them.
   */
  public RateLimits reconfigure(FtpServerConfig config, DataChannels dataChannels, Optional<ServerTls> tls, Bans bans,
      RateLimits rates) {
    var now = current.get();
    // quota usage is kept across a reload unless the quotas change
    boolean sameQuotas = now.config().get(ServerOptions.USER_QUOTA_BYTES).equals(config.get(ServerOptions.USER_QUOTA_BYTES))
        && now.config().get(ServerOptions.USER_QUOTA_FILES).equals(config.get(ServerOptions.USER_QUOTA_FILES));
    var quotas = sameQuotas ? now.quotas() : new Quotas(config);
    return current.getAndSet(new Current(config, dataChannels, tls, bans, rates, quotas)).rates();
  }

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
