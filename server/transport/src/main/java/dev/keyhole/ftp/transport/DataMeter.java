package dev.keyhole.ftp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import reactor.netty.NettyPipeline;

/**
 * Counts the bytes written on a data connection that really left: a buffer once its write has
 * succeeded, a file region as its sendfile progresses. It sits at the application end of the
 * pipeline (before TLS), so it counts the file's bytes, not TLS records. A download cut short is
 * then logged and metered with what the client was sent, not 0 (sendfile's region is one write
 * that never completes when the connection fails) nor what was read from the disk ahead of the
 * socket.
 */
final class DataMeter extends ChannelOutboundHandlerAdapter {

  /** The handler's name in the data connection's pipeline. */
  static final String NAME = KeyholePipeline.DATA_METER;

  /** The channel attribute that keeps the meter readable after the channel closed and lost its handlers. */
  static final AttributeKey<DataMeter> KEY = AttributeKey.valueOf(DataMeter.class, "meter");

  private final AtomicLong sent = new AtomicLong();

  /**
   * Installs a meter at the application end of a data channel's pipeline: before Reactor Netty's
   * bridge where it is there already, since a streamed send writes from the bridge's place, not
   * from the tail.
   */
  static void install(Channel channel) {
    var meter = new DataMeter();
    channel.attr(KEY).set(meter);
    if (channel.pipeline().get(NettyPipeline.ReactiveBridge) != null) {
      channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, NAME, meter);
    } else {
      channel.pipeline().addLast(NAME, meter);
    }
  }

  /** Bytes written on {@code channel} so far, 0 where no meter was installed. */
  static long sent(Channel channel) {
    var meter = channel.attr(KEY).get();
    return meter == null ? 0 : meter.sent.get();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof FileRegion) {
      var progressive = ctx.newProgressivePromise();
      progressive.addListener(new ChannelProgressiveFutureListener() {
        private long counted;

        @Override
        public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
          sent.addAndGet(progress - counted);
          counted = progress;
        }

        @Override
        public void operationComplete(ChannelProgressiveFuture future) {
          propagate(future, promise);
        }
      });
      ctx.write(msg, progressive);
    } else if (msg instanceof ByteBuf buf && buf.isReadable()) {
      int size = buf.readableBytes();
      var counted = ctx.newPromise();
      counted.addListener(future -> {
        if (future.isSuccess()) {
          sent.addAndGet(size);
        }
        propagate(future, promise);
      });
      ctx.write(msg, counted);
    } else {
      ctx.write(msg, promise);
    }
  }

  /** Completes the writer's promise; a void one turns a failure into the pipeline's exception event, as usual. */
  private static void propagate(Future<?> future, ChannelPromise promise) {
    if (future.isSuccess()) {
      promise.trySuccess();
    } else {
      promise.tryFailure(future.cause());
    }
  }
}
