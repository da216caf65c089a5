package dev.keyhole.ftp.server.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The file system one logged-in user sees: maps virtual paths to {@link Path}s of any {@link
 * java.nio.file.FileSystem}, and guarantees that the result lies inside the user's tree. All
 * methods may block and are called on virtual threads, never on an event loop.
 */
public interface FileSystemView {

  /**
   * Maps a virtual path to a real one. Fails with {@link java.nio.file.AccessDeniedException} when
   * the path, or the deepest existing directory above it, leads outside the user's tree through a
   * symbolic link. The path need not exist.
   */
  Path toPath(VirtualPath path) throws IOException;
}
