package dev.keyhole.ftp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Relays a data connection's bytes to the other without copying them into Java: the kernel moves
 * them from one socket through a pipe to the other (Linux {@code splice(2)}, through Netty's epoll
 * transport, which reads from a socket only as fast as the other socket takes the bytes).
 *
 * <p>Netty's splice does not carry the end of a stream: when the sender's FIN arrives it shuts the
 * input down after at most one more splice, and the bytes still queued in the socket (up to its
 * receive buffer, when the target is slower) would be lost; where the sender reset the connection
 * after its FIN, Netty even closes the socket. So the sending side is made half-closable, and when
 * Netty reports the input ended, this relay reads what is left in the socket at once and writes
 * it after everything spliced. The count of bytes, and whether they still move, comes from each
 * channel's {@link ReadCounter}, as splicing goes round the pipeline.
 *
 * <p>Used only when both connections are epoll channels on one event loop, neither is encrypted
 * and nothing has been read from either yet; {@link DataRelay} copies through buffers otherwise.
 * The ALG's {@code --no-splice} turns it off.
 */
final class SpliceRelay {

  private static final boolean AVAILABLE = Epoll.isAvailable();

  /** What is read from a socket after its end was reported, per write. */
  private static final int TAIL_CHUNK = 64 * 1024;

  private final DataConnection a;
  private final DataConnection b;
  private final ReadCounter readA;
  private final ReadCounter readB;
  private final long start;
  private final Duration idleTimeout;

  private SpliceRelay(DataConnection a, DataConnection b, Duration idleTimeout) {
    this.a = a;
    this.b = b;
    this.readA = ReadCounter.of(a.channel());
    this.readB = ReadCounter.of(b.channel());
    this.start = readA.bytes() + readB.bytes();
    this.idleTimeout = idleTimeout;
  }

  /**
   * A splice relay between the two connections, if they allow one. Called on their event loop.
   */
  static Optional<SpliceRelay> between(DataConnection a, DataConnection b, Duration idleTimeout) {
    boolean possible = AVAILABLE
        && a.channel() instanceof AbstractEpollStreamChannel && b.channel() instanceof AbstractEpollStreamChannel
        && a.channel().eventLoop() == b.channel().eventLoop()
        && a.channel().eventLoop().inEventLoop()
        && ReadCounter.of(a.channel()) != null && ReadCounter.of(b.channel()) != null
        && a.isActive() && b.isActive() && !a.encrypted() && !b.encrypted()
        && a.inbound().untouched() && b.inbound().untouched();
    return possible ? Optional.of(new SpliceRelay(a, b, idleTimeout)) : Optional.empty();
  }

  /** Bytes relayed so far, both directions. */
  long bytes() {
    return readA.bytes() + readB.bytes() - start;
  }

  /** Completes when one side has ended and everything it sent went on; errors when nothing moves for the idle timeout. */
  Mono<Void> transfer() {
    // the relay's own idle watch replaces the channels' detectors, which see no spliced bytes
    for (var side : new DataConnection[] {a, b}) {
      if (side.channel().pipeline().get(DataInbound.IDLE) != null) {
        side.channel().pipeline().remove(DataInbound.IDLE);
      }
    }
    return Mono.firstWithSignal(DataRelay.eitherEnds(direction(a, b, readA).thenReturn(Boolean.TRUE),
        direction(b, a, readB).thenReturn(Boolean.TRUE)), idleWatch());
  }

  private static Mono<Void> direction(DataConnection from, DataConnection to, ReadCounter counter) {
    return Mono.create(sink -> {
      var source = (AbstractEpollStreamChannel) from.channel();
      var target = (AbstractEpollStreamChannel) to.channel();
      from.inbound().detach();
      source.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      var end = new EndOfInput(source, target, counter, sink);
      sink.onCancel(end::cancel);
      // first: Reactor Netty's bridge further on keeps input-shutdown events to itself
      source.pipeline().addFirst(end);
      source.spliceTo(target, Integer.MAX_VALUE).addListener(f -> {
        if (!f.isSuccess()) {
          end.failed(f.cause());
        }
      });
      // splicing runs while the channel reads; Netty pauses it while the target cannot take more
      source.config().setAutoRead(true);
    });
  }

  private Mono<Void> idleWatch() {
    long period = Math.clamp(idleTimeout.toNanos() / 8, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(5));
    var loop = a.channel().eventLoop();
    return Mono.create(sink -> {
      var check = new Runnable() {
        long seen = bytes();
        long since = System.nanoTime();
        Future<?> next;

        @Override
        public void run() {
          long now = bytes();
          if (now != seen) {
            seen = now;
            since = System.nanoTime();
          } else if (System.nanoTime() - since >= idleTimeout.toNanos()) {
            sink.error(new DataConnectionException("no data moved for too long"));
            return;
          }
          next = loop.schedule(this, period, TimeUnit.NANOSECONDS);
        }
      };
      check.next = loop.schedule(check, period, TimeUnit.NANOSECONDS);
      sink.onDispose(() -> loop.execute(() -> check.next.cancel(false)));
    });
  }

  /**
   * Waits for Netty's report that the source's input has ended, then moves what is still queued in
   * its socket to the target, after everything spliced.
   */
  private static final class EndOfInput extends ChannelInboundHandlerAdapter {
    private final AbstractEpollStreamChannel source;
    private final AbstractEpollStreamChannel target;
    private final ReadCounter counter;
    private final MonoSink<Void> sink;
    private boolean ended;
    /** The relay no longer listens (the other direction ended it): nothing more is signalled. */
    private volatile boolean cancelled;

    EndOfInput(AbstractEpollStreamChannel source, AbstractEpollStreamChannel target, ReadCounter counter,
        MonoSink<Void> sink) {
      this.source = source;
      this.target = target;
      this.counter = counter;
      this.sink = sink;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent || event instanceof ChannelInputShutdownReadComplete) {
        // kept from the rest of the pipeline: Reactor Netty would close the channel
        if (!ended) {
          ended = true;
          // no more splicing: Netty would find the end again and again
          source.config().setAutoRead(false);
          moveTail();
        }
        return;
      }
      ctx.fireUserEventTriggered(event);
    }

    /**
     * The splice failed: because the source broke (its sender reset it), which fails the relay, or
     * because the target closed, which the other direction's end may explain. With half-closure a
     * reset source stays open (Netty shuts its input down, and it then reads as ended), so the two
     * are told apart by the target: still there, the source is what broke.
     */
    void failed(Throwable cause) {
      if (ended || cancelled) {
        return;
      }
      ended = true; // the input shutdown that follows a reset is no clean end
      source.config().setAutoRead(false);
      sink.error(target.isActive() ? new DataRelay.SenderFailed(cause) : cause);
    }

    void cancel() {
      cancelled = true;
    }

    /**
     * A read failed before the end: the sender reset the connection. With half-closure allowed,
     * Netty then reports the input as shut down, and the socket reads as ended from there on, so
     * the reset must be taken here or it passes for a clean end (a truncated upload stored whole).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (ended) {
        return;
      }
      ended = true;
      source.config().setAutoRead(false);
      if (!cancelled) {
        sink.error(new DataRelay.SenderFailed(cause));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!ended && !cancelled) {
        // closed before its end: the sender reset the connection
        sink.error(new DataRelay.SenderFailed(null));
      }
      ctx.fireChannelInactive();
    }

    /**
     * Reads the rest at once, before Netty goes on: where the peer reset the connection after its
     * FIN, shutting the input down fails and Netty closes the socket right after this event, with
     * the bytes in it. The rest is what the kernel already held (at most the receive buffer):
     * nothing more can arrive after the end.
     */
    private void moveTail() {
      var tail = new ArrayList<ByteBuf>();
      IOException failure = null;
      try {
        for (;;) {
          ByteBuf buf = source.alloc().directBuffer(TAIL_CHUNK);
          var nio = buf.internalNioBuffer(0, buf.capacity());
          int read;
          try {
            read = source.fd().read(nio, nio.position(), nio.limit());
          } catch (IOException e) {
            buf.release();
            throw e;
          }
          if (read <= 0) {
            // -1: the end; 0 cannot mean "not yet", as the end came after every byte before it
            buf.release();
            break;
          }
          buf.writerIndex(read);
          counter.add(read);
          tail.add(buf);
        }
      } catch (IOException e) {
        failure = e; // a reset after the end: what was read before it still goes on
      }
      var written = target.newPromise();
      for (int i = 0; i < tail.size(); i++) {
        target.write(tail.get(i), i == tail.size() - 1 ? written : target.voidPromise());
      }
      if (tail.isEmpty()) {
        written.setSuccess();
      }
      target.flush();
      var error = failure;
      written.addListener(f -> {
        if (cancelled) {
          return;
        }
        if (!f.isSuccess()) {
          sink.error(f.cause());
        } else if (error != null) {
          sink.error(error);
        } else {
          sink.success();
        }
      });
    }
  }
}
