package dev.keyhole.ftp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * The inbound side of a data connection, installed when the channel is created. It reads from the
 * socket only when its subscriber asks for more, and keeps what arrived, including the end of the
 * stream, until the subscriber takes it: an upload that arrives and ends before STOR has opened
 * its file is neither dropped nor truncated. Everything runs on the channel's event loop.
 */
public final class DataInbound extends ChannelInboundHandlerAdapter implements Publisher<ByteBuf>, Subscription {

  /** The handler's name in the data connection's pipeline. */
  public static final String NAME = KeyholePipeline.DATA_INBOUND;

  /** The channel attribute that keeps the handler reachable after Netty removed it from a closed channel. */
  public static final AttributeKey<DataInbound> KEY = AttributeKey.valueOf(DataInbound.class, "inbound");

  /** The name of the handler that closes a data connection that makes no progress. */
  public static final String IDLE = KeyholePipeline.DATA_IDLE;

  /**
   * Installs a new handler on a data channel that is being created, behind an idle detector: a
   * connection on which nothing is read or written for {@code idleTimeout} (a client that stopped
   * reading or sending) is closed, and its transfer answers 426. Output progress of a running
   * sendfile counts as activity ({@link DataIdleHandler}); what is written is counted ({@link DataMeter}).
   */
  public static void install(Channel channel, Duration idleTimeout) {
    halfClosable(channel);
    var inbound = new DataInbound();
    channel.attr(KEY).set(inbound);
    channel.pipeline().addFirst(NAME, inbound);
    channel.pipeline().addFirst(IDLE, new DataIdleHandler(idleTimeout));
    DataMeter.install(channel);
  }

  private DataInbound() {}

  /**
   * Turns a control connection that sent SPDT into a data connection: the inbound handler goes
   * right after {@code after} (the command decoder, whose unread bytes it then receives when the
   * decoder is removed).
   */
  public static DataInbound installAfter(Channel channel, String after, Duration idleTimeout) {
    halfClosable(channel);
    var inbound = new DataInbound();
    channel.attr(KEY).set(inbound);
    channel.pipeline().addAfter(after, NAME, inbound);
    channel.pipeline().addBefore(NAME, IDLE, new DataIdleHandler(idleTimeout));
    DataMeter.install(channel);
    return inbound;
  }

  /**
   * The peer's end of stream becomes an event (its FIN shuts the input down, the channel stays
   * open), so that it can be told from a connection that closed without one: a reset, or a write
   * into a reset connection, which Netty answers by closing the channel with no error on the
   * inbound side. Under TLS an upload cut by a reset was otherwise stored whole with 226.
   */
  private static void halfClosable(Channel channel) {
    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      exceptionCaught(ctx, new DataConnectionException("no data moved for too long"));
    } else if (event instanceof ChannelInputShutdownEvent
        || (event instanceof SslCloseCompletionEvent close && close.isSuccess())) {
      // the peer's end (FIN, or TLS close_notify): a clean end of what it sent; kept from Reactor
      // Netty, which would close the channel while a download may still be going the other way
      ended();
    } else if (event instanceof ChannelInputShutdownReadComplete) {
      // the end was taken above
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  private void ended() {
    endSeen = true;
    done = true;
    reading = false;
    drain();
  }

  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable Subscriber<? super ByteBuf> subscriber;
  private long demand;
  private boolean done;
  private @Nullable Throwable error;
  private boolean reading;
  private boolean draining;
  private boolean cancelled;
  /** The peer ended its stream (FIN or close_notify): a close after that is no failure. */
  private boolean endSeen;

  /** The bytes the client sends, each buffer owned (and released) by the subscriber. One subscriber only. */
  public Flux<ByteBuf> receive() {
    return Flux.from(this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Releases what no subscriber took. Netty removes the handler when the channel closes, which
   * happens as soon as the client ends an upload; what it sent stays queued until taken, and the
   * transfer (or the listener that never handed the connection on) calls this at its end.
   */
  public void discard() {
    var context = ctx;
    if (context != null) {
      onLoop(context, () -> {
        cancelled = true;
        releaseQueue();
      });
    }
  }

  /**
   * Whether nothing was read yet and nobody reads: no subscriber, nothing queued, no end seen.
   * Called on the channel's event loop.
   */
  public boolean untouched() {
    return subscriber == null && !cancelled && !done && queue.isEmpty();
  }

  /**
   * Hands the socket over to a reader outside the pipeline (the ALG's splice relay): this handler
   * never asks for a read again, and drops what the pipeline still delivers. Called on the
   * channel's event loop, on an {@link #untouched} handler.
   */
  public void detach() {
    cancelled = true;
    releaseQueue();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf && !cancelled) {
      queue.add(buf);
      drain();
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    drain();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!endSeen && !done) {
      // closed without the peer's end: reset, or broken under a write
      error = new DataConnectionException("the data connection closed before the end of its stream");
    }
    done = true;
    reading = false;
    drain();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!done) {
      // a network failure, told apart from the file system's: the transfer answers 426, not 451
      error = cause instanceof DataConnectionException ? cause
          : new DataConnectionException("the data connection failed: " + cause, cause);
      done = true;
    }
    drain();
    ctx.close();
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuf> s) {
    var context = ctx;
    if (context == null) {
      Operators.error(s, new IllegalStateException("data inbound not in a pipeline"));
      return;
    }
    onLoop(context, () -> {
      if (subscriber != null || cancelled) {
        Operators.error(s, new IllegalStateException("the data connection has one reader"));
        return;
      }
      subscriber = s;
      s.onSubscribe(this);
      drain();
    });
  }

  @Override
  public void request(long n) {
    var context = ctx;
    if (context != null && Operators.validate(n)) {
      onLoop(context, () -> {
        demand = Operators.addCap(demand, n);
        drain();
      });
    }
  }

  @Override
  public void cancel() {
    var context = ctx;
    if (context != null) {
      onLoop(context, () -> {
        cancelled = true;
        subscriber = null;
        releaseQueue();
      });
    }
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      var s = subscriber;
      while (s != null && demand > 0 && !queue.isEmpty()) {
        demand--;
        s.onNext(queue.poll());
        s = subscriber;
      }
      if (s == null) {
        return;
      }
      if (queue.isEmpty() && done) {
        subscriber = null;
        if (error != null) {
          s.onError(error);
        } else {
          s.onComplete();
        }
        return;
      }
      var context = ctx;
      if (demand > 0 && queue.isEmpty() && !reading && context != null) {
        reading = true;
        context.read();
      }
    } finally {
      draining = false;
    }
  }

  private void releaseQueue() {
    ByteBuf buf;
    while ((buf = queue.poll()) != null) {
      buf.release();
    }
  }

  private static void onLoop(ChannelHandlerContext ctx, Runnable task) {
    if (ctx.executor().inEventLoop()) {
      task.run();
    } else {
      ctx.executor().execute(task);
    }
  }
}
