package dev.keyhole.ftp.server.fs;

import dev.keyhole.ftp.server.auth.User;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link FileSystemFactory}: each user jailed in their home directory, created if
 * missing. It remembers each home's real path for {@link #FRESH}, so that a login soon after
 * another into the same home opens its view without a file-system call ({@link #openAtOnce}),
 * and the server answers it without a hop to a virtual thread. A home deleted within that time
 * is created again by the first login once the time has passed; until then, sessions logging in
 * to it get clean errors for their transfers ({@code LoginAtOnceTest}).
 */
final class JailedFactory implements FileSystemFactory {

  /** How long a home's real path, once seen, is trusted without looking again. */
  static final Duration FRESH = Duration.ofSeconds(5);
  /** Homes remembered at most; beyond, the memory starts over. */
  static final int MAX_HOMES = 10_000;

  private record Seen(Path realRoot, long atNanos) { }

  private final ConcurrentHashMap<Path, Seen> seen = new ConcurrentHashMap<>();

  @Override
  public FileSystemView open(User user) throws IOException {
    var fs = JailedFileSystem.open(user.home());
    if (seen.size() >= MAX_HOMES) {
      seen.clear();
    }
    seen.put(user.home(), new Seen(fs.realRoot(), System.nanoTime()));
    return fs;
  }

  @Override
  public Optional<FileSystemView> openAtOnce(User user) {
    var last = seen.get(user.home());
    if (last == null || System.nanoTime() - last.atNanos() > FRESH.toNanos()) {
      return Optional.empty();
    }
    return Optional.of(JailedFileSystem.opened(user.home(), last.realRoot()));
  }
}
