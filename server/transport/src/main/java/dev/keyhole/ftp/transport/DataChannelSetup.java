package dev.keyhole.ftp.transport;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A data channel prepared by PASV/EPSV (a listener waiting for the client) or PORT/EPRT (an
 * address to connect to). One setup serves one transfer.
 */
public sealed interface DataChannelSetup permits PassiveListener, ActiveTarget, SpdtBinding {

  /**
   * The data connection: accepted or connected, within the data-connection timeout. Fails with
   * {@link DataConnectionException} when it cannot be had.
   */
  Mono<DataConnection> connection();

  /** Releases the listener, or a connection that no transfer took. */
  void close();

  /**
   * The wait for a data connection that comes to the server (passive or SPDT): marks it taken once
   * a transfer waits, fails with {@link DataConnectionException} after {@code timeout}, and closes
   * the setup on failure. The timer runs on {@code timer}.
   */
  static Mono<DataConnection> awaitArrival(Mono<DataConnection> arrival, Duration timeout, Scheduler timer,
      String what, AtomicBoolean taken, Runnable close) {
    return arrival
        .timeout(timeout, timer)
        .doOnSubscribe(s -> taken.set(true))
        .onErrorMap(TimeoutException.class,
            e -> new DataConnectionException("no " + what + " within " + timeout.toSeconds() + " s"))
        .doOnError(e -> close.run());
  }
}
