package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.server.data.DataConnection;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Copies a data connection's bytes to the other in both directions, with back-pressure: each side
 * reads from its socket only as fast as the other side's socket takes the bytes ({@code
 * DataInbound} reads on demand). An FTP data connection carries one direction; when the side that
 * sends closes, everything it sent is written on, then both are closed.
 */
final class DataRelay {

  private DataRelay() {}

  /** Completes with the bytes relayed once the transfer has ended and both connections are closed. */
  static Mono<Long> relay(DataConnection a, DataConnection b) {
    var bytes = new AtomicLong();
    Mono<Void> ab = b.outbound().send(counted(a.inbound().receive(), bytes)).then();
    Mono<Void> ba = a.outbound().send(counted(b.inbound().receive(), bytes)).then();
    return Mono.firstWithSignal(ab, ba)
        .onErrorResume(e -> Mono.empty())
        .then(Mono.defer(() -> Mono.when(a.close(), b.close())))
        .doFinally(s -> {
          a.dispose();
          b.dispose();
        })
        .then(Mono.fromSupplier(bytes::get));
  }

  private static Flux<ByteBuf> counted(Flux<ByteBuf> in, AtomicLong bytes) {
    return in.doOnNext(buf -> bytes.addAndGet(buf.readableBytes()));
  }
}
