package dev.keyhole.ftp.server.data;

import reactor.core.publisher.Mono;

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
}
