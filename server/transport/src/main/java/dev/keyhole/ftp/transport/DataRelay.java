package dev.keyhole.ftp.transport;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Copies a data connection's bytes to the other in both directions, with back-pressure: each side
 * reads from its socket only as fast as the other side's socket takes the bytes. Where it can, the
 * kernel moves the bytes ({@link SpliceRelay}); otherwise they pass through buffers ({@code
 * DataInbound} reads on demand). An FTP data connection carries one direction; when the side that
 * sends closes, everything it sent is written on, then both are closed. The ALG relays its
 * mapped data connections with it, a cluster node the SPDT connections it forwards to their owner.
 */
public final class DataRelay {

  private static final Logger log = LoggerFactory.getLogger(DataRelay.class);

  private DataRelay() {}

  /**
   * What a relay did.
   *
   * @param bytes bytes moved, both directions
   * @param method {@code splice} (in the kernel) or {@code copy} (through buffers)
   * @param complete whether the sender's end reached the receiver: false when the relay failed and
   *     both connections were reset
   */
  public record Relayed(long bytes, String method, boolean complete) {}

  /**
   * Completes with what was relayed once the transfer has ended and both connections are closed.
   *
   * @param idleTimeout how long the relay may go without moving a byte
   * @param splice whether to splice where possible
   */
  public static Mono<Relayed> relay(DataConnection a, DataConnection b, Duration idleTimeout, boolean splice) {
    return Mono.defer(() -> {
          // until the relay ends well, a close is a reset: if this process dies (kill -9, a crash),
          // the kernel resets both sides, and neither takes the transfer cut short for a whole one
          lingerZero(a, true);
          lingerZero(b, true);
          return (splice ? SpliceRelay.between(a, b, idleTimeout) : Optional.<SpliceRelay>empty())
            .map(spliced -> ended(a, b, spliced.transfer(), spliced::bytes, "splice"))
            .orElseGet(() -> copied(a, b));
        })
        // decided on the connections' loop, where their state is read
        .subscribeOn(Schedulers.fromExecutor(a.channel().eventLoop()));
  }

  /** SO_LINGER 0 (a close resets) or the default (a close ends, after what was written). */
  private static void lingerZero(DataConnection side, boolean on) {
    var channel = side.channel();
    if (!channel.isOpen()) {
      return;
    }
    Runnable set = () -> {
      try {
        channel.config().setOption(ChannelOption.SO_LINGER, on ? 0 : -1);
      } catch (ChannelException e) {
        // closed meanwhile
      }
    };
    if (channel.eventLoop().inEventLoop()) {
      set.run();
    } else {
      channel.eventLoop().execute(set);
    }
  }

  private static Mono<Relayed> copied(DataConnection a, DataConnection b) {
    var bytes = new AtomicLong();
    return ended(a, b, eitherEnds(copy(a, b, bytes), copy(b, a, bytes)), bytes::get, "copy");
  }

  /**
   * One direction, through buffers: TRUE once the sender has ended and all it sent was written;
   * empty when the sending stopped otherwise (Reactor Netty completes a send when the connection
   * written to closes, though its source has not ended).
   */
  private static Mono<Boolean> copy(DataConnection from, DataConnection to, AtomicLong bytes) {
    var senderEnded = new AtomicBoolean();
    var in = from.inbound().receive()
        .onErrorMap(SenderFailed::new)
        .doOnNext(buf -> bytes.addAndGet(buf.readableBytes()))
        .doOnComplete(() -> senderEnded.set(true));
    return to.outbound().send(in).then().then(Mono.fromSupplier(() -> senderEnded.get() ? Boolean.TRUE : null));
  }

  /**
   * Completes when either direction has a TRUE: its sender ended and everything went on. A
   * direction that fails or stops without its sender's end does not end the relay while the other
   * still runs: a server that sent a listing and closed at once leaves a closed connection, into
   * which the client's direction, with nothing to send, fails at once, and the listing must still
   * go on; a client that sent an upload and closed completes the other direction's send, while the
   * upload's last buffers are still on their way. A direction whose sender failed (a reset) fails
   * the relay at once. Fails when neither direction ends well.
   */
  static Mono<Void> eitherEnds(Mono<Boolean> ab, Mono<Boolean> ba) {
    return Mono.firstWithValue(senderFailure(ab), senderFailure(ba))
        .flatMap(ended -> ended ? Mono.<Void>empty()
            : Mono.error(new DataConnectionException("a sender's connection failed before its end")));
  }

  /** A direction whose sender failed (a reset, not an end) ends the relay at once, as failed: FALSE. */
  private static Mono<Boolean> senderFailure(Mono<Boolean> direction) {
    return direction.onErrorResume(SenderFailed.class, e -> {
      log.debug("data relay: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
      return Mono.just(Boolean.FALSE);
    });
  }

  /**
   * The sending side of a direction failed: the peer reset it or its connection broke before its
   * end. Unlike a failure to write into the other side (which may just have ended its part),
   * this ends the relay, both sides reset.
   */
  static final class SenderFailed extends RuntimeException {
    SenderFailed(Throwable cause) {
      super(cause == null ? "the sender's connection failed" : cause.toString(), cause, false, false);
    }
  }

  /**
   * After the transfer both connections are closed once everything written went out; after a
   * failure they are reset, so that the receiver of a transfer cut short sees an error, not an end
   * (a server would otherwise keep a truncated upload and answer 226).
   */
  private static Mono<Relayed> ended(DataConnection a, DataConnection b, Mono<Void> transfer, LongSupplier bytes,
      String method) {
    return transfer
        .then(Mono.defer(() -> {
          lingerZero(a, false);
          lingerZero(b, false);
          return Mono.when(a.close(), b.close());
        }))
        .thenReturn(true)
        .onErrorResume(e -> {
          log.debug("data relay failed: {}", e.toString());
          a.abort();
          b.abort();
          return Mono.just(false);
        })
        .doFinally(s -> {
          a.dispose();
          b.dispose();
        })
        .map(complete -> new Relayed(bytes.getAsLong(), method, complete));
  }

}
