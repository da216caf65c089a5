package dev.keyhole.ftp.server.data;

import com.sun.nio.file.ExtendedOpenOption;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a binary upload with direct I/O ({@code O_DIRECT}): the bytes go from an aligned staging
 * buffer to the disk, not through the page cache. Copying into the page cache was most of an
 * upload's CPU, and on this kind of virtual machine its cost swung tenfold from one upload to the
 * next (docs/benchmarks.md, Round 3); a direct write of 1 MiB costs a small fraction of it.
 *
 * <p>Each full staging buffer is written at its position in the file through a second channel
 * opened with {@code O_DIRECT}; what is left at the end (less than one buffer, of any length) goes
 * through the upload's ordinary channel, so the file's length need not be a multiple of the block
 * size. Used when the server is configured for it ({@code --direct-uploads}) and only where it
 * fits: a file on the default file system that opens with {@code O_DIRECT}, an upload that starts
 * at offset 0, and at most {@link #MAX_UPLOADS} uploads at a time (each holds a 1 MiB buffer
 * outside the heap); every other upload is written as before. Buffer addresses, lengths and file
 * positions are all multiples of {@link #ALIGNMENT}, which covers any block size a file system
 * asks direct I/O to align to, so no store needs to be looked up (Java's {@code getFileStore}
 * reads the whole mount table on every call).
 *
 * <p>All of it runs on the upload's virtual thread, never on an event loop.
 */
public final class DirectUpload implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DirectUpload.class);

  /** The staging buffer: one direct write. */
  static final int BUFFER = 1 << 20;
  /**
   * The buffers' alignment: a multiple of every block size direct I/O asks for (512 and 4096 bytes
   * in practice), and a divisor of {@link #BUFFER}, so that every write's position is aligned too.
   */
  static final int ALIGNMENT = 64 * 1024;
  /** Uploads written with direct I/O at once: their buffers are at most this many MiB. */
  static final int MAX_UPLOADS = 32;

  private static final Semaphore slots = new Semaphore(MAX_UPLOADS);
  private static final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();

  private final FileChannel direct;
  private final FileChannel ordinary;
  private final ByteBuffer staging;
  /**
   * Held while the buffer is used: a transfer cancelled from another thread closes while a write
   * may still be copying, and the buffer must not go back to the pool (to another upload) before
   * that write is done.
   */
  private final ReentrantLock lock = new ReentrantLock();
  /** Where the staging buffer's first byte goes in the file. */
  private long position;
  private boolean closed;

  private DirectUpload(FileChannel direct, FileChannel ordinary, ByteBuffer staging) {
    this.direct = direct;
    this.ordinary = ordinary;
    this.staging = staging;
  }

  /**
   * A direct writer for the file {@code ordinary} was opened on, from offset 0; empty where direct
   * I/O does not fit (the upload is then written through {@code ordinary} alone). Call it on a
   * virtual thread: it opens the file.
   */
  public static Optional<DirectUpload> open(Path path, FileChannel ordinary) {
    if (path.getFileSystem() != FileSystems.getDefault() || !slots.tryAcquire()) {
      return Optional.empty();
    }
    try {
      var direct = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
      var staging = buffers.poll();
      if (staging == null) {
        staging = ByteBuffer.allocateDirect(BUFFER + ALIGNMENT).alignedSlice(ALIGNMENT);
      }
      return Optional.of(new DirectUpload(direct, ordinary, staging.clear()));
    } catch (IOException | UnsupportedOperationException e) {
      // a file system without O_DIRECT (tmpfs) refuses the open: the ordinary way then
      log.debug("no direct I/O for {}: {}", path, e.toString());
      slots.release();
      return Optional.empty();
    }
  }

  /** Takes all of {@code buf}'s readable bytes, writing each buffer that fills. */
  public void write(ByteBuf buf) throws IOException {
    lock.lock();
    try {
      writeLocked(buf);
    } finally {
      lock.unlock();
    }
  }

  private void writeLocked(ByteBuf buf) throws IOException {
    if (closed) {
      throw new IOException("upload closed");
    }
    while (buf.isReadable()) {
      int n = Math.min(buf.readableBytes(), staging.remaining());
      staging.limit(staging.position() + n);
      buf.readBytes(staging);
      staging.limit(staging.capacity());
      if (!staging.hasRemaining()) {
        staging.flip();
        while (staging.hasRemaining()) {
          position += direct.write(staging, position);
        }
        staging.clear();
      }
    }
  }

  /**
   * Writes what the staging buffer still holds through the ordinary channel, after what was
   * written directly: the upload's last bytes, or, after a failure, what had arrived.
   */
  public void finish() throws IOException {
    lock.lock();
    try {
      if (closed) {
        throw new IOException("upload closed");
      }
      staging.flip();
      while (staging.hasRemaining()) {
        position += ordinary.write(staging, position);
      }
      staging.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the direct channel and gives the buffer back; the ordinary channel stays the caller's. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        direct.close();
      } catch (IOException e) {
        // nothing waits in it: O_DIRECT writes bypass the page cache, and a failed one failed the upload
      }
      buffers.offer(staging.clear());
      slots.release();
    } finally {
      lock.unlock();
    }
  }
}
