package dev.keyhole.ftp.server.session;

import dev.keyhole.ftp.server.FtpEvent;
import dev.keyhole.ftp.server.FtpServerConfig;
import dev.keyhole.ftp.server.data.DataChannels;
import dev.keyhole.ftp.server.data.SpdtRegistry;
import dev.keyhole.ftp.server.tls.ServerTls;
import java.time.Duration;
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
 */
public record ServerContext(FtpServerConfig config, Scheduler blocking, DataChannels dataChannels,
    Sinks.Many<FtpEvent> events, SpdtRegistry spdt, Optional<ServerTls> tls) {

  /** Publishes an event; never fails, at worst drops it after a short wait under contention. */
  public void publish(FtpEvent event) {
    events.emitNext(event, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(50)));
  }
}
