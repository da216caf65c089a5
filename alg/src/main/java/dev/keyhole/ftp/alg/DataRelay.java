package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.server.data.DataConnection;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Copies a data connection's bytes to the other in both directions, with back-pressure: each side
 * reads from its socket only as fast as the other side's socket takes the bytes. Where it can, the
 * kernel moves the bytes ({@link SpliceRelay}); otherwise they pass through buffers ({@code
 * DataInbound} reads on demand). An FTP data connection carries one direction; when the side that
 * sends closes, everything it sent is written on, then both are closed.
 */
final class DataRelay {

  private DataRelay() {}

  /**
   * What a relay did.
   *
   * @param bytes bytes moved, both directions
   * @param method {@code splice} (in the kernel) or {@code copy} (through buffers)
   */
  record Relayed(long bytes, String method) {}

  /**
   * Completes with what was relayed once the transfer has ended and both connections are closed.
   *
   * @param idleTimeout how long the relay may go without moving a byte
   * @param splice whether to splice where possible
   */
  static Mono<Relayed> relay(DataConnection a, DataConnection b, Duration idleTimeout, boolean splice) {
    return Mono.defer(() -> (splice ? SpliceRelay.between(a, b, idleTimeout) : Optional.<SpliceRelay>empty())
            .map(spliced -> ended(a, b, spliced.transfer(), spliced::bytes, "splice"))
            .orElseGet(() -> copied(a, b)))
        // decided on the connections' loop, where their state is read
        .subscribeOn(Schedulers.fromExecutor(a.channel().eventLoop()));
  }

  private static Mono<Relayed> copied(DataConnection a, DataConnection b) {
    var bytes = new AtomicLong();
    Mono<Void> ab = b.outbound().send(counted(a.inbound().receive(), bytes)).then();
    Mono<Void> ba = a.outbound().send(counted(b.inbound().receive(), bytes)).then();
    return ended(a, b, eitherEnds(ab, ba), bytes::get, "copy");
  }

  /**
   * Completes when either direction has: its sender ended and everything went on. A direction that
   * fails does not end the relay while the other still runs: a server that sent a listing and
   * closed at once leaves a closed connection, into which the client's direction, which has nothing
   * to send, fails at once; the listing must still go on. Fails when both fail.
   */
  static Mono<Void> eitherEnds(Mono<Void> ab, Mono<Void> ba) {
    return Mono.firstWithValue(ab.thenReturn(Boolean.TRUE), ba.thenReturn(Boolean.TRUE)).then();
  }

  private static Mono<Relayed> ended(DataConnection a, DataConnection b, Mono<Void> transfer, LongSupplier bytes,
      String method) {
    return transfer
        .onErrorResume(e -> Mono.empty())
        .then(Mono.defer(() -> Mono.when(a.close(), b.close())))
        .doFinally(s -> {
          a.dispose();
          b.dispose();
        })
        .then(Mono.fromSupplier(() -> new Relayed(bytes.getAsLong(), method)));
  }

  private static Flux<ByteBuf> counted(Flux<ByteBuf> in, AtomicLong bytes) {
    return in.doOnNext(buf -> bytes.addAndGet(buf.readableBytes()));
  }
}
