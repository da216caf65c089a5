package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.ReplyBlock;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** What to do with the server's reply to one relayed command. */
@FunctionalInterface
interface ReplyAction {

  /** The reply goes to the client as it came. */
  ReplyAction PASS = reply -> Mono.just(Optional.of(reply));

  /** The reply for the client, or empty to swallow it. */
  Mono<Optional<ReplyBlock>> apply(ReplyBlock reply);
}
