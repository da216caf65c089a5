package dev.keyhole.ftp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.AttributeKey;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Counts the bytes a channel reads from its socket, however they are read: into buffers, or
 * spliced to another socket without passing through Java (Netty reports every splice to the read
 * handle as it reports a read). The splice relay has no other way to know how many bytes it moved
 * and whether they still move. Installed as the channel's receive-buffer allocator before the
 * channel first reads; read and written on the channel's event loop only.
 */
public final class ReadCounter implements RecvByteBufAllocator {

  private static final AttributeKey<ReadCounter> KEY = AttributeKey.valueOf(ReadCounter.class, "readCounter");

  private final RecvByteBufAllocator delegate;
  private long bytes;

  private ReadCounter(RecvByteBufAllocator delegate) {
    this.delegate = delegate;
  }

  /** Counts what {@code channel} reads from now on; a channel whose allocator cannot be wrapped is left alone. */
  public static void install(Channel channel) {
    var current = channel.config().getRecvByteBufAllocator();
    if (current instanceof ReadCounter || !(current.newHandle() instanceof ExtendedHandle)) {
      return;
    }
    var counter = new ReadCounter(current);
    channel.config().setRecvByteBufAllocator(counter);
    channel.attr(KEY).set(counter);
  }

  /** The counter of a channel, or null when it has none. */
  static ReadCounter of(Channel channel) {
    return channel.attr(KEY).get();
  }

  /** Bytes read from the socket so far. */
  long bytes() {
    return bytes;
  }

  /** Counts bytes read outside the channel's read loop. */
  void add(long read) {
    bytes += read;
  }

  @Override
  public Handle newHandle() {
    return new CountingHandle((ExtendedHandle) delegate.newHandle());
  }

  private final class CountingHandle implements ExtendedHandle {
    private final ExtendedHandle handle;

    CountingHandle(ExtendedHandle handle) {
      this.handle = handle;
    }

    @Override
    public void lastBytesRead(int read) {
      if (read > 0) {
        bytes += read;
      }
      handle.lastBytesRead(read);
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      return handle.allocate(alloc);
    }

    @Override
    public int guess() {
      return handle.guess();
    }

    @Override
    public void reset(ChannelConfig config) {
      handle.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
      handle.incMessagesRead(numMessages);
    }

    @Override
    public int lastBytesRead() {
      return handle.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int attempted) {
      handle.attemptedBytesRead(attempted);
    }

    @Override
    public int attemptedBytesRead() {
      return handle.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return handle.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return handle.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      handle.readComplete();
    }
  }
}
