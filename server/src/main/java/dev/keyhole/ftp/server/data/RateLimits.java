package dev.keyhole.ftp.server.data;

import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.UserLimits;
import dev.keyhole.ftp.transport.KeyholePipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Bandwidth limits on data connections, per session ({@link ServerOptions#DOWNLOAD_RATE},
 * {@link ServerOptions#UPLOAD_RATE}) and for the whole server ({@link ServerOptions#TOTAL_DOWNLOAD_RATE},
 * {@link ServerOptions#TOTAL_UPLOAD_RATE}). Downloads go through Netty's traffic-shaping handlers,
 * at the head of the pipeline (the bytes on the wire, TLS included); a limited download goes
 * out as file slices written one after another, so that zero-copy stays and the shaper can pace
 * them (one region for the whole file it could only delay). Uploads are paced by delaying the next read, so that the data connection's
 * read-on-demand back-pressure stays as it is.
 */
public final class RateLimits {

  /** Bytes a paced transfer may run ahead of its rate: a burst of a few reads. */
  private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long download;
  private final long upload;
  private final @Nullable GlobalTrafficShapingHandler totalDownload;
  private final @Nullable Bucket totalUpload;

  public RateLimits(FtpServerConfig config, ScheduledExecutorService timer) {
    this.download = config.get(ServerOptions.DOWNLOAD_RATE);
    this.upload = config.get(ServerOptions.UPLOAD_RATE);
    long total = config.get(ServerOptions.TOTAL_DOWNLOAD_RATE);
    this.totalDownload = total > 0 ? new GlobalTrafficShapingHandler(timer, total, 0, 100) : null;
    long totalUp = config.get(ServerOptions.TOTAL_UPLOAD_RATE);
    this.totalUpload = totalUp > 0 ? new Bucket(totalUp) : null;
  }

  /** Whether this user's downloads are limited: their files then go out in slices the shaper can pace. */
  public boolean limitsDownloads(UserLimits user) {
    return user.downloadRate().orElse(download) > 0 || totalDownload != null;
  }

  /** Puts the limits on a transfer's data connection: the user's own rates, or the server's. */
  public void install(Channel channel, UserLimits user) {
    long download = user.downloadRate().orElse(this.download);
    long upload = user.uploadRate().orElse(this.upload);
    var pipeline = channel.pipeline();
    if (download > 0 && pipeline.get(SESSION_DOWNLOAD) == null) {
      pipeline.addFirst(SESSION_DOWNLOAD, new ChannelTrafficShapingHandler(download, 0, 100));
    }
    if (totalDownload != null && pipeline.get(TOTAL_DOWNLOAD) == null) {
      pipeline.addFirst(TOTAL_DOWNLOAD, totalDownload);
    }
    if ((upload > 0 || totalUpload != null) && pipeline.get(UPLOAD) == null
        && pipeline.get(KeyholePipeline.DATA_INBOUND) != null) {
      pipeline.addBefore(KeyholePipeline.DATA_INBOUND, UPLOAD,
          new ReadPacer(upload > 0 ? new Bucket(upload) : null, totalUpload));
    }
  }

  /** Whether a limit paces this data connection's uploads ({@code upload}) or downloads. */
  public boolean limits(Channel channel, boolean upload) {
    var pipeline = channel.pipeline();
    return upload ? pipeline.get(UPLOAD) != null
        : pipeline.get(SESSION_DOWNLOAD) != null || pipeline.get(TOTAL_DOWNLOAD) != null;
  }

  /** Stops the server-wide shaper's timer. */
  public void close() {
    if (totalDownload != null) {
      totalDownload.release();
    }
  }

  static final String SESSION_DOWNLOAD = "keyhole.downloadRate";
  static final String TOTAL_DOWNLOAD = "keyhole.totalDownloadRate";
  static final String UPLOAD = "keyhole.uploadRate";

  /** A rate as a debt in time: each byte taken moves the moment the bucket is free again. */
  static final class Bucket {
    private final long nanosPerMegabyte;
    private final AtomicLong freeAt = new AtomicLong(System.nanoTime());

    Bucket(long bytesPerSecond) {
      this.nanosPerMegabyte = 1_000_000_000L * 1_000_000L / bytesPerSecond;
    }

    void take(long bytes) {
      long cost = bytes * nanosPerMegabyte / 1_000_000L;
      freeAt.updateAndGet(at -> Math.max(at, System.nanoTime() - BURST_NANOS) + cost);
    }

    long waitNanos() {
      return freeAt.get() - System.nanoTime();
    }
  }

  /** Delays the next read of an upload until the bytes already read are within the rates. */
  static final class ReadPacer extends ChannelDuplexHandler {
    private final @Nullable Bucket session;
    private final @Nullable Bucket total;
    private boolean scheduled;
    private final java.util.ArrayDeque<Object> heldEvents = new java.util.ArrayDeque<>();

    ReadPacer(@Nullable Bucket session, @Nullable Bucket total) {
      this.session = session;
      this.total = total;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      // one buffer per read: a read may otherwise loop over many (epoll: 16) before the pacer sees them
      if (ctx.channel().config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator allocator) {
        allocator.maxMessagesPerRead(1);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) {
        int n = buf.readableBytes();
        if (session != null) {
          session.take(n);
        }
        if (total != null) {
          total.take(n);
        }
      }
      ctx.fireChannelRead(msg);
    }

    /**
     * The end of the upload waits for the pacing of the bytes before it: the last reads would
     * otherwise be taken at once, and the transfer end (and its 226) come early by their share.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      boolean end = event instanceof ChannelInputShutdownEvent || event instanceof ChannelInputShutdownReadComplete
          || event instanceof SslCloseCompletionEvent;
      if (!heldEvents.isEmpty() || end && waitNanos() > 0) {
        // held in order: the end events must reach the data handler as they came
        heldEvents.add(event);
        if (heldEvents.size() == 1) {
          ctx.executor().schedule(() -> release(ctx), waitNanos(), TimeUnit.NANOSECONDS);
        }
        return;
      }
      ctx.fireUserEventTriggered(event);
    }

    private void release(ChannelHandlerContext ctx) {
      while (!heldEvents.isEmpty()) {
        ctx.fireUserEventTriggered(heldEvents.poll());
      }
    }

    private long waitNanos() {
      return Math.max(session == null ? 0 : session.waitNanos(), total == null ? 0 : total.waitNanos());
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
      long wait = waitNanos();
      if (wait <= 0) {
        ctx.read();
      } else if (!scheduled) {
        scheduled = true;
        ctx.executor().schedule(() -> {
          scheduled = false;
          read(ctx);
        }, wait, TimeUnit.NANOSECONDS);
      }
    }
  }
}
