package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ReplyBlock;
import reactor.core.publisher.Mono;

/**
 * What a {@link Translator} may do with a client's command: the session's ordered control relay.
 * Every command relayed queues what to do with its reply, so that replies reach the client in
 * command order. All of it runs on the session's event loop.
 */
interface ControlRelay {

  /** The session's number, for logs. */
  long id();

  Endpoints endpoints();

  /** Relays a command to the server and queues what to do with its reply. */
  Mono<Void> forward(ControlLine line, ReplyAction action);

  /**
   * Answers a command without relaying it: a NOOP goes to the server instead, and its reply is
   * replaced by this one (RFC 6384 section 12), so that replies keep their order.
   */
  Mono<Void> local(ReplyBlock reply);

  /** Sends another command for the same client command, its reply handled first: a fallback (EPSV to PASV). */
  void retry(ControlLine line, ReplyAction action);

  /** Counts one translation of this kind (the {@code keyhole.alg.translations} meter). */
  void translated(String kind);
}
