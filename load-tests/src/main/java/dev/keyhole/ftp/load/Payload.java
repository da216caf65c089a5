package dev.keyhole.ftp.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;

/**
 * Deterministic content of a given size and seed: uploads generate it on the fly, downloads are
 * checked against its SHA-256, and nothing of it needs to sit in memory or on the client's disk.
 *
 * @param size bytes
 * @param seed the random seed
 */
record Payload(long size, long seed) {

  static final int CHUNK = 64 * 1024;

  /** The content in chunks of {@link #CHUNK} bytes. */
  Flux<ByteBuf> chunks() {
    return Flux.generate(() -> new long[] {0}, (state, sink) -> {
      long offset = state[0];
      if (offset >= size) {
        sink.complete();
        return state;
      }
      int n = (int) Math.min(CHUNK, size - offset);
      sink.next(Unpooled.wrappedBuffer(chunk(offset, n)));
      state[0] = offset + n;
      return state;
    });
  }

  /** The bytes at {@code offset}; each chunk has a random generator of its own, so any chunk can be made alone. */
  private byte[] chunk(long offset, int n) {
    var random = new SplittableRandom(seed * 1_000_003L + offset / CHUNK);
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < n; j++) {
        bytes[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return bytes;
  }

  private static final ConcurrentHashMap<Payload, String> SHA256 = new ConcurrentHashMap<>();

  /** The SHA-256 of the content, computed once per size and seed. */
  String sha256Cached() {
    return SHA256.computeIfAbsent(this, Payload::sha256);
  }

  /** The SHA-256 of the content, hex. */
  String sha256() {
    MessageDigest digest = digest();
    for (long offset = 0; offset < size; offset += CHUNK) {
      digest.update(chunk(offset, (int) Math.min(CHUNK, size - offset)));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Feeds a received buffer to a digest without consuming it. */
  static void update(MessageDigest digest, ByteBuf buf) {
    ByteBuffer view = buf.nioBufferCount() == 1 ? buf.nioBuffer() : ByteBuffer.wrap(ByteBufUtil.getBytes(buf));
    digest.update(view);
  }
}
