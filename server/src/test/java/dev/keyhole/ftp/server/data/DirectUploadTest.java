package dev.keyhole.ftp.server.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct I/O writes every byte in order whatever the upload's length and the sizes its buffers
 * arrive in, keeps what arrived when an upload stops early, never lends its buffer to two uploads,
 * and gives way to the ordinary path beyond its limit. The direct cases need a file system with
 * O_DIRECT (ext4, as the build's temporary directory here; not tmpfs).
 */
class DirectUploadTest {

  @TempDir
  Path dir;

  private FileChannel create(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
  }

  @Test
  void everyLengthAndChunkingArrivesIntact() throws IOException {
    int buffer = DirectUpload.BUFFER;
    int[] lengths = {0, 1, 4095, 4096, 4097, buffer - 1, buffer, buffer + 1, 3 * buffer + 12_345};
    var random = new Random(17);
    for (int length : lengths) {
      byte[] content = new byte[length];
      random.nextBytes(content);
      Path file = dir.resolve("upload-" + length);
      try (var channel = create(file)) {
        var direct = DirectUpload.open(file, channel);
        assumeTrue(direct.isPresent(), "no O_DIRECT on " + dir);
        try (var upload = direct.get()) {
          for (int at = 0; at < length; ) {
            int n = Math.min(length - at, 1 + random.nextInt(70_000));
            var buf = Unpooled.wrappedBuffer(content, at, n);
            upload.write(buf);
            assertThat(buf.isReadable()).isFalse();
            at += n;
          }
          upload.finish();
        }
      }
      assertThat(Files.readAllBytes(file)).as("length %d", length).isEqualTo(content);
    }
  }

  @Test
  void anUploadThatStopsEarlyKeepsWhatArrived() throws IOException {
    byte[] content = new byte[DirectUpload.BUFFER + DirectUpload.BUFFER / 2];
    new Random(3).nextBytes(content);
    Path file = dir.resolve("partial");
    try (var channel = create(file)) {
      var direct = DirectUpload.open(file, channel);
      assumeTrue(direct.isPresent(), "no O_DIRECT on " + dir);
      var upload = direct.get();
      upload.write(Unpooled.wrappedBuffer(content));
      // the failure path: finish what arrived, then close
      upload.finish();
      upload.close();
      upload.close();
      assertThatThrownBy(() -> upload.write(Unpooled.wrappedBuffer(new byte[1]))).isInstanceOf(IOException.class);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void beyondItsLimitUploadsGoTheOrdinaryWay() throws IOException {
    var open = new ArrayList<DirectUpload>();
    var channels = new ArrayList<FileChannel>();
    try {
      for (int i = 0; i < DirectUpload.MAX_UPLOADS; i++) {
        Path file = dir.resolve("many-" + i);
        var channel = create(file);
        channels.add(channel);
        var direct = DirectUpload.open(file, channel);
        assumeTrue(direct.isPresent(), "no O_DIRECT on " + dir);
        open.add(direct.get());
      }
      Path extra = dir.resolve("extra");
      var channel = create(extra);
      channels.add(channel);
      assertThat(DirectUpload.open(extra, channel)).isEmpty();
      open.remove(0).close();
      var again = DirectUpload.open(extra, channel);
      assertThat(again).isPresent();
      open.add(again.get());
    } finally {
      open.forEach(DirectUpload::close);
      for (var channel : channels) {
        channel.close();
      }
    }
  }
}
