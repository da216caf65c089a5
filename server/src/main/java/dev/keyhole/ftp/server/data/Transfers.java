package dev.keyhole.ftp.server.data;

import dev.keyhole.ftp.transport.DataConnectionException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The byte-moving part of transfers. Downloads in binary mode are one {@link DefaultFileRegion}
 * (sendfile with the native transport: the bytes never enter the JVM); ASCII downloads and
 * listings are streamed with back-pressure; uploads are written on virtual threads as buffers
 * arrive, with at most {@link #UPLOAD_PREFETCH} buffers in flight, so a slow disk slows the
 * sender instead of filling memory.
 */
public final class Transfers {

  /** Buffers of an upload queued between the network and the disk. */
  static final int UPLOAD_PREFETCH = 16;
  private static final int CHUNK = 32 * 1024;
  private static final int LISTING_BATCH = 128;

  private Transfers() {}

  /**
   * Sends {@code file} from {@code offset} to its end without copying, taking ownership of the
   * channel; completes with the bytes sent.
   */
  public static Mono<Long> sendFile(Transfer transfer, FileChannel file, long offset, long size) {
    long count = Math.max(0, size - offset);
    var region = new DefaultFileRegion(file, offset, count);
    return sent(transfer, transfer.connection().outbound().sendObject(region).then(), () -> count);
  }

  /** Bytes per file region when a rate limit paces a download: the shaper delays each slice. */
  private static final long SLICE = 128 * 1024;

  /**
   * Sends {@code file} from {@code offset} to its end without copying, as slices of {@link #SLICE}
   * bytes written one after another, each once the one before has left: a traffic shaper paces
   * them (one region for the whole file it could only delay, then let go at full speed). Closes
   * the file once the transfer has ended.
   */
  public static Mono<Long> sendFileSlices(Transfer transfer, FileChannel file, long offset, long size) {
    long count = Math.max(0, size - offset);
    var channel = transfer.connection().channel();
    Mono<Void> slices = Mono.create(sink -> new Object() {
      private long position = offset;

      void next() {
        if (position >= size) {
          sink.success();
          return;
        }
        long length = Math.min(SLICE, size - position);
        var region = new SharedFileRegion(file, position, length);
        position += length;
        channel.writeAndFlush(region).addListener(f -> {
          if (f.isSuccess()) {
            // from the event loop's queue, not this stack: a file of many slices must not recurse
            channel.eventLoop().execute(this::next);
          } else {
            sink.error(f.cause());
          }
        });
      }
    }.next());
    return sent(transfer, slices, () -> count).doFinally(s -> closeQuietly(file));
  }

  /** A slice of a file the transfer owns: releasing the slice leaves the file open for the next one. */
  private static final class SharedFileRegion extends DefaultFileRegion {
    SharedFileRegion(FileChannel file, long position, long count) {
      super(file, position, count);
    }

    @Override
    protected void deallocate() {
      // the file is closed once, when the transfer has ended
    }
  }

  /**
   * Completes with the bytes sent once {@code send} has completed, its source reached its end, and
   * every byte it produced has left: Reactor Netty completes a send into a connection that closed
   * under it (a client's reset seen through TLS) and cancels the source, and a download cut short
   * must fail, never answer 226.
   *
   * @param expected the bytes the source produced, or -1 while it has not reached its end
   */
  private static Mono<Long> sent(Transfer transfer, Mono<Void> send, LongSupplier expected) {
    var channel = transfer.connection().channel();
    // writes complete in order: once an empty write behind them has, every byte written has been counted
    Mono<Void> drained = Mono.create(sink -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(f -> sink.success()));
    return send.then(drained).then(Mono.defer(() -> {
      long sent = transfer.connection().bytesSent();
      long due = expected.getAsLong();
      return due < 0 || sent < due
          ? Mono.error(new DataConnectionException("the connection closed after " + sent + " bytes"
              + (due < 0 ? ", before the end" : " of " + due)))
          : Mono.just(transfer.bytes());
    }));
  }

  /** Sends {@code file} from {@code offset} with LF converted to CRLF; closes the channel. */
  public static Mono<Long> sendAscii(Transfer transfer, FileChannel file, long offset, Scheduler blocking) {
    var converter = new AsciiConverter();
    return sendChunks(transfer, file, offset, blocking, (fc, alloc) -> {
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      return fc.read(buf) < 0 ? null : Unpooled.wrappedBuffer(converter.toNetwork(buf.flip()));
    });
  }

  /**
   * Sends {@code file} from {@code offset} in chunks read on virtual threads as the connection
   * asks for them: where a file region cannot go, through TLS (PROT P). Closes the channel.
   */
  public static Mono<Long> sendStream(Transfer transfer, FileChannel file, long offset, Scheduler blocking) {
    return sendChunks(transfer, file, offset, blocking, (fc, alloc) -> {
      ByteBuf buf = alloc.directBuffer(CHUNK);
      try {
        if (buf.writeBytes(fc, CHUNK) < 0) {
          buf.release();
          return null;
        }
        return buf;
      } catch (IOException | RuntimeException e) {
        buf.release();
        throw e;
      }
    });
  }

  /** What a streamed send's source produced, and whether it reached its end. */
  private static final class Produced {
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean ended;

    void add(long n) {
      bytes.addAndGet(n);
    }

    void end() {
      ended = true;
    }

    /** The bytes produced, or -1 while the source has not reached its end. */
    long total() {
      return ended ? bytes.get() : -1;
    }
  }

  /** Reads the next chunk, or null at the end of the file. */
  private interface ChunkReader {
    @Nullable ByteBuf read(FileChannel file, ByteBufAllocator alloc) throws IOException;
  }

  private static Mono<Long> sendChunks(Transfer transfer, FileChannel file, long offset, Scheduler blocking,
      ChunkReader reader) {
    var alloc = transfer.connection().channel().alloc();
    var produced = new Produced();
    Flux<ByteBuf> chunks = Flux.<ByteBuf, FileChannel>generate(() -> file.position(offset), (fc, sink) -> {
      try {
        ByteBuf chunk = reader.read(fc, alloc);
        if (chunk == null) {
          produced.end();
          sink.complete();
        } else {
          produced.add(chunk.readableBytes());
          sink.next(chunk);
        }
      } catch (IOException e) {
        sink.error(e);
      }
      return fc;
    }, Transfers::closeQuietly)
        .subscribeOn(blocking)
        .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    return sent(transfer, transfer.connection().outbound().send(chunks).then(), produced::total);
  }

  /** Sends text lines, each ended with CRLF, in batches; completes with the bytes sent. */
  public static Mono<Long> sendLines(Transfer transfer, Flux<String> lines) {
    var produced = new Produced();
    Flux<ByteBuf> batches = lines.buffer(LISTING_BATCH).doOnComplete(produced::end).map(batch -> {
      var sb = new StringBuilder(batch.size() * 80);
      for (String line : batch) {
        // a name holding CR or LF must not split the listing's lines: shown as ? (ls -q)
        sb.append(line.indexOf('\r') < 0 && line.indexOf('\n') < 0 ? line : line.replace('\r', '?').replace('\n', '?'))
            .append("\r\n");
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      produced.add(bytes.length);
      return Unpooled.wrappedBuffer(bytes);
    });
    return sent(transfer, transfer.connection().outbound().send(batches).then(), produced::total);
  }

  /**
   * Writes what arrives on the data connection to {@code file} until the client closes it;
   * completes with the bytes received. The caller closes the file.
   */
  public static Mono<Long> receive(Transfer transfer, FileChannel file, boolean ascii, Scheduler blocking) {
    return receive(transfer, file, ascii, blocking, n -> { }, null);
  }

  /** What an upload's bytes must pass before they are written: a quota's reservation. */
  @FunctionalInterface
  public interface Budget {
    /** Takes {@code bytes} more, or throws to end the upload. */
    void take(long bytes) throws IOException;
  }

  /**
   * As {@link #receive(Transfer, FileChannel, boolean, Scheduler)}, each buffer first taken from
   * {@code budget}: an upload beyond it fails with the budget's exception before its bytes are
   * written; a binary upload goes through {@code direct} where it is given (finished here once
   * the upload ends; the caller closes it, and finishes it after a failure).
   */
  public static Mono<Long> receive(Transfer transfer, FileChannel file, boolean ascii, Scheduler blocking,
      Budget budget, @Nullable DirectUpload direct) {
    var converter = ascii ? new AsciiConverter() : null;
    return transfer.inbound().receive()
        .publishOn(blocking, UPLOAD_PREFETCH)
        .doOnNext(buf -> {
          try {
            int n = buf.readableBytes();
            budget.take(n);
            if (converter != null) {
              writeFully(file, converter.fromNetwork(buf));
            } else if (direct != null) {
              direct.write(buf);
            } else {
              while (buf.isReadable()) {
                buf.readBytes(file, buf.readableBytes());
              }
            }
            transfer.addReceived(n);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            buf.release();
          }
        })
        .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
        .then(Mono.fromCallable(() -> {
          if (converter != null) {
            writeFully(file, converter.finish());
          }
          if (direct != null) {
            direct.finish();
          }
          return transfer.bytes();
        }).subscribeOn(blocking))
        .onErrorMap(UncheckedIOException.class, UncheckedIOException::getCause);
  }

  private static void writeFully(FileChannel file, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      file.write(buf);
    }
  }

  static void closeQuietly(FileChannel fc) {
    try {
      fc.close();
    } catch (IOException e) {
      // nothing was written through it
    }
  }
}
