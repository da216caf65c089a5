package dev.keyhole.ftp.server.fs;

import dev.keyhole.ftp.server.auth.User;
import java.io.IOException;
import java.util.Optional;

/** Creates the file system view of a user who has just logged in. Called on a virtual thread. */
@FunctionalInterface
public interface FileSystemFactory {

  /** The file system {@code user} sees, opened at login. */
  FileSystemView open(User user) throws IOException;

  /**
   * The view of a user who has just logged in, when it can be had without blocking (the factory
   * opened the same home moments ago): the server then answers the login on the event loop,
   * without a hop to a virtual thread. Empty, the default, means {@link #open} on a virtual thread.
   */
  default Optional<FileSystemView> openAtOnce(User user) {
    return Optional.empty();
  }

  /**
   * The default: each user is jailed in their home directory, created if missing. Each home's
   * real path is remembered for a few seconds, so that logins in quick succession open at once.
   */
  static FileSystemFactory jailed() {
    return new JailedFactory();
  }
}
