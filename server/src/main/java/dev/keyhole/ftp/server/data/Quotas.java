package dev.keyhole.ftp.server.data;

import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.UserLimits;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Storage quotas per user root ({@link ServerOptions#USER_QUOTA_BYTES},
 * {@link ServerOptions#USER_QUOTA_FILES}). A root's usage is read from the disk when a user logs
 * in and no upload into it runs, so it survives restarts and sees what changed outside the server;
 * between logins the server keeps it up to date with its own uploads, deletions and renames.
 * Uploads reserve bytes as they arrive, so that concurrent uploads cannot together pass the
 * quota: the one that would is refused with 552 and leaves nothing behind.
 */
public final class Quotas {

  /** An upload beyond the quota: the server answers it 552 (RFC 959: exceeded storage allocation). */
  public static final class ExceededException extends IOException {
    ExceededException(String what) {
      super("quota exceeded: " + what);
    }
  }

  private final long maxBytes;
  private final long maxFiles;
  private final FtpMetricsRecorder metrics;
  private final Map<Path, Usage> usage = new ConcurrentHashMap<>();

  /** Bytes and files of one root, and what running uploads have reserved. */
  private static final class Usage {
    long bytes;
    long files;
    long reservedBytes;
    long reservedFiles;
    int uploads;
  }

  public Quotas(FtpServerConfig config) {
    this.maxBytes = config.get(ServerOptions.USER_QUOTA_BYTES);
    this.maxFiles = config.get(ServerOptions.USER_QUOTA_FILES);
    this.metrics = config.metrics();
  }

  /** Whether a quota applies to this user: the user's own, or the server's. */
  public boolean enabled(UserLimits user) {
    return user.quotaBytes().orElse(maxBytes) > 0 || user.quotaFiles().orElse(maxFiles) > 0;
  }

  /** At login: reads the root's usage from the disk, unless uploads into it are running. Blocking. */
  public void refresh(Path root, UserLimits user) throws IOException {
    if (!enabled(user)) {
      return;
    }
    var current = usage.get(root);
    if (current != null) {
      synchronized (current) {
        if (current.uploads > 0) {
          return;
        }
      }
    }
    var read = read(root);
    usage.merge(root, read, (old, fresh) -> {
      synchronized (old) {
        if (old.uploads == 0) {
          old.bytes = fresh.bytes;
          old.files = fresh.files;
        }
      }
      return old;
    });
  }

  /**
   * Starts an upload into {@code root}: a new file takes a place among the files at once (552 when
   * there is none: {@link ExceededException}), its bytes are reserved as they arrive ({@link Upload#take}). Blocking the first
   * time a root is seen.
   *
   * @param newFile whether the upload makes a file that did not exist
   * @param freed bytes the upload removes before it writes (the tail a REST offset cuts off)
   * @param replacing bytes of the file the upload replaces once complete (a STOR renamed into
   *     place): they do not count against it, so that a file can be overwritten at the quota
   */
  public Upload startUpload(Path root, UserLimits user, boolean newFile, long freed, long replacing)
      throws IOException {
    long maxFiles = user.quotaFiles().orElse(this.maxFiles);
    long maxBytes = user.quotaBytes().orElse(this.maxBytes);
    var u = usage(root);
    synchronized (u) {
      if (newFile && maxFiles > 0 && u.files + u.reservedFiles + 1 > maxFiles) {
        metrics.quotaRefused("files");
        throw new ExceededException(maxFiles + " files");
      }
      u.uploads++;
      u.reservedFiles += newFile ? 1 : 0;
      u.bytes -= freed;
    }
    return new Upload(u, newFile, replacing, maxBytes);
  }

  /** A file of {@code bytes} left {@code root} (DELE, or replaced by RNTO). */
  public void removed(Path root, long bytes) {
    var u = usage.get(root);
    if (u != null) {
      synchronized (u) {
        u.bytes = Math.max(0, u.bytes - bytes);
        u.files = Math.max(0, u.files - 1);
      }
    }
  }

  /** The usage of a root as the server knows it: bytes and files. */
  public long[] usage(Path root, boolean read) throws IOException {
    var u = read ? usage(root) : usage.get(root);
    if (u == null) {
      return new long[] {0, 0};
    }
    synchronized (u) {
      return new long[] {u.bytes, u.files};
    }
  }

  private Usage usage(Path root) throws IOException {
    var u = usage.get(root);
    if (u != null) {
      return u;
    }
    var read = read(root);
    var existing = usage.putIfAbsent(root, read);
    return existing != null ? existing : read;
  }

  private static Usage read(Path root) throws IOException {
    var u = new Usage();
    if (!Files.isDirectory(root)) {
      return u;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !PartialUploads.isPart(p))
          .forEach(p -> {
            try {
              u.bytes += Files.size(p);
              u.files++;
            } catch (IOException e) {
              // gone meanwhile: not counted
            }
          });
    }
    return u;
  }

  /** One upload's reservation. */
  public final class Upload {
    private final Usage u;
    private final boolean newFile;
    private final long replacing;
    private final long maxBytes;
    private long reserved;
    private boolean ended;

    private Upload(Usage u, boolean newFile, long replacing, long maxBytes) {
      this.u = u;
      this.newFile = newFile;
      this.replacing = replacing;
      this.maxBytes = maxBytes;
    }

    /** Reserves {@code n} more bytes; {@link ExceededException} beyond the quota. */
    public void take(long n) throws ExceededException {
      synchronized (u) {
        if (maxBytes > 0 && u.bytes - replacing + u.reservedBytes + n > maxBytes) {
          metrics.quotaRefused("bytes");
          throw new ExceededException(maxBytes + " bytes");
        }
        u.reservedBytes += n;
        reserved += n;
      }
    }

    /** The upload is stored: its bytes count, less those of the file it replaced. */
    public void commit(long replacedBytes) {
      synchronized (u) {
        if (ended) {
          return;
        }
        ended = true;
        end();
        u.bytes += reserved - replacedBytes;
        u.files += newFile ? 1 : 0;
      }
    }

    /** The upload failed and left nothing: its reservation goes back. */
    public void release() {
      synchronized (u) {
        if (ended) {
          return;
        }
        ended = true;
        end();
      }
    }

    private void end() {
      u.uploads--;
      u.reservedBytes -= reserved;
      u.reservedFiles -= newFile ? 1 : 0;
    }
  }
}
