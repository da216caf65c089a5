package dev.keyhole.ftp.client;

import dev.keyhole.ftp.transport.DataConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The client's local file I/O, on the blocking scheduler: what a download writes and what an
 * upload reads, in chunks, with back-pressure from the data connection.
 */
final class LocalFiles {

  private static final int CHUNK = 64 * 1024;

  private final Scheduler blocking;

  LocalFiles(Scheduler blocking) {
    this.blocking = blocking;
  }

  /** Writes what arrives on {@code data} into {@code target}; completes with the bytes received. */
  Mono<Long> write(DataConnection data, Path target, LongConsumer progress) {
    var count = new AtomicLong();
    return Mono.using(
        () -> FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING),
        file -> data.inbound().receive()
            .publishOn(blocking, 16)
            .doOnNext(buf -> {
              try {
                int n = buf.readableBytes();
                while (buf.isReadable()) {
                  buf.readBytes(file, buf.readableBytes());
                }
                progress.accept(count.addAndGet(n));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                buf.release();
              }
            })
            .then(Mono.fromSupplier(count::get)),
        LocalFiles::closeQuietly)
        .subscribeOn(blocking);
  }

  /** The bytes of {@code source}, one chunk per request. */
  Flux<ByteBuf> read(Path source) {
    return Flux.<ByteBuf, FileChannel>generate(() -> FileChannel.open(source, StandardOpenOption.READ), (file, sink) -> {
      try {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        if (file.read(buf) < 0) {
          sink.complete();
        } else {
          sink.next(Unpooled.wrappedBuffer(buf.flip()));
        }
      } catch (IOException e) {
        sink.error(e);
      }
      return file;
    }, LocalFiles::closeQuietly).subscribeOn(blocking);
  }

  private static void closeQuietly(FileChannel file) {
    try {
      file.close();
    } catch (IOException e) {
      // reading or done writing: nothing to recover
    }
  }
}
