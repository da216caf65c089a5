package dev.keyhole.ftp.server.fs;

import dev.keyhole.ftp.server.auth.User;
import java.io.IOException;

/** Creates the file system view of a user who has just logged in. Called on a virtual thread. */
@FunctionalInterface
public interface FileSystemFactory {

  /** The file system {@code user} sees, opened at login. */
  FileSystemView open(User user) throws IOException;

  /** The default: each user is jailed in their home directory, created if missing. */
  static FileSystemFactory jailed() {
    return user -> JailedFileSystem.open(user.home());
  }
}
