package dev.keyhole.ftp.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when a data connection has moved no byte in
 * either direction for the timeout. Progress inside a write counts: a sendfile of a whole file is
 * one write that completes only at its end, and Netty's {@code IdleStateHandler} (even observing
 * output) fired on the first check of such a download, cutting every binary RETR longer than the
 * idle timeout. Here each check compares the outbound buffer's current message, its progress and
 * the bytes pending with the previous check's, and any read or write in between counts too. It
 * sits at the socket end of the pipeline, so TLS records count as they move. With the native
 * transport the kernel is asked too: a data segment sent or received within the timeout is
 * progress, though no write has advanced (zero-window probes to a peer that stopped reading are
 * not data segments, so such a peer still times out).
 *
 * <p>Checks run on the channel's event loop every quarter of the timeout, so a connection is
 * closed between one and one and a quarter timeouts after its last byte.
 */
final class DataIdleHandler extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(DataIdleHandler.class);

  private final long timeoutNanos;
  private long lastActivity;
  private @Nullable Object lastMessage;
  private long lastProgress = -1;
  private long lastPending = -1;
  private boolean started;
  private boolean fired;
  /**
   * The next check, cancelled when the connection closes: left in the event loop's queue, it kept
   * the closed channel, its pipeline and its passive listener reachable until it ran, up to a
   * quarter of the timeout later (at thousands of transfers a second, hundreds of megabytes).
   */
  private @Nullable ScheduledFuture<?> next;

  DataIdleHandler(Duration timeout) {
    this.timeoutNanos = Math.max(1, timeout.toNanos());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isRegistered()) {
      start(ctx);
    }
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelRegistered(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    lastActivity = System.nanoTime();
    schedule(ctx, timeoutNanos);
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(delayNanos, timeoutNanos / 4));
    next = ctx.executor().schedule(() -> check(ctx), period, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastActivity = System.nanoTime();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActivity = System.nanoTime();
    ctx.write(msg, promise);
  }

  private void check(ChannelHandlerContext ctx) {
    next = null;
    if (!ctx.channel().isOpen() || fired || ctx.isRemoved()) {
      return;
    }
    long now = System.nanoTime();
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    if (out != null) {
      Object current = out.current();
      long progress = out.currentProgress();
      long pending = out.totalPendingWriteBytes();
      if (current != lastMessage || progress != lastProgress || pending != lastPending) {
        lastMessage = current;
        lastProgress = progress;
        lastPending = pending;
        lastActivity = now;
      }
    }
    if (ctx.channel() instanceof EpollSocketChannel epoll && epoll.isActive()) {
      // the kernel's view: a peer that reads slowly drains the socket's buffers in bursts, and
      // with the buffers loopback and fast links get (megabytes), sendfile's progress can pause
      // for seconds while segments still leave and arrive
      var info = epoll.tcpInfo();
      long kernelIdle = TimeUnit.MILLISECONDS.toNanos(Math.min(info.lastDataSent(), info.lastDataRecv()));
      lastActivity = Math.max(lastActivity, now - kernelIdle);
    }
    long idle = now - lastActivity;
    if (idle >= timeoutNanos) {
      fired = true;
      lastMessage = null;
      log.debug("data connection {}: nothing moved for {} ms", ctx.channel(), TimeUnit.NANOSECONDS.toMillis(idle));
      ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
      return;
    }
    schedule(ctx, timeoutNanos - idle);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  private void stop() {
    fired = true; // a check already running does nothing
    lastMessage = null;
    var pending = next;
    next = null;
    if (pending != null) {
      pending.cancel(false); // on the event loop: out of its queue at once
    }
  }
}
