package dev.keyhole.ftp.server.data;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files uploads are written to before they are renamed into place: {@code
 * .name.<16 hex digits>.part} beside the target. They are never listed, and those left behind by
 * a crash are removed when the server starts ({@link #sweep}).
 */
public final class PartialUploads {

  private static final Logger log = LoggerFactory.getLogger(PartialUploads.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern NAME = Pattern.compile("\\..+\\.[0-9a-f]{16}\\.part");

  private PartialUploads() {}

  /** A new temporary file name beside {@code target}. */
  public static Path partFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".part");
  }

  /** Whether a file name is one of an upload's temporary files: kept out of listings. */
  /** Whether {@code file} is a partial upload's temporary file. */
  public static boolean isPart(Path file) {
    return file.getFileName() != null && isPartName(file.getFileName().toString());
  }

  public static boolean isPartName(String name) {
    return name.endsWith(".part") && NAME.matcher(name).matches();
  }

  /**
   * Removes the temporary files under {@code root} not written for {@code grace}: uploads that a
   * crash or a {@code kill -9} cut off, which nothing else would ever remove. Blocking; each
   * removal is logged. Returns how many were removed.
   */
  public static int sweep(Path root, Duration grace) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    Instant before = Instant.now().minus(grace);
    int[] removed = {0};
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && isPartName(file.getFileName().toString())
              && attrs.lastModifiedTime().toInstant().isBefore(before)) {
            try {
              Files.deleteIfExists(file);
              removed[0]++;
              log.info("removed the partial upload {} left by an earlier run", file);
            } catch (IOException e) {
              log.warn("could not remove the partial upload {}: {}", file, e.toString());
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // unreadable: not ours to clean
        }
      });
    } catch (IOException e) {
      log.warn("could not look for partial uploads under {}: {}", root, e.toString());
    }
    return removed[0];
  }
}
