package dev.keyhole.ftp.server.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link FileSystemView} over a directory of the default or any other {@link
 * java.nio.file.FileSystem}. Virtual paths cannot climb above the root ({@link VirtualPath}), and
 * symbolic links are followed only while their targets stay under the root's real path.
 */
public final class JailedFileSystem implements FileSystemView {

  private final Path root;
  private final Path realRoot;

  private JailedFileSystem(Path root, Path realRoot) {
    this.root = root;
    this.realRoot = realRoot;
  }

  /** Opens the tree under {@code root}, creating the directory if it does not exist. */
  public static JailedFileSystem open(Path root) throws IOException {
    Files.createDirectories(root);
    return new JailedFileSystem(root, root.toRealPath());
  }

  public Path root() {
    return root;
  }

  @Override
  public Path toPath(VirtualPath path) throws IOException {
    if (path.isRoot()) {
      return root;
    }
    Path p = root;
    for (String name : path.segments()) {
      p = p.resolve(name);
    }
    checkInside(p, path);
    return p;
  }

  private void checkInside(Path p, VirtualPath virtual) throws IOException {
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      if (Files.isSymbolicLink(existing)) {
        // a dangling link: writing through it would create its target, wherever that is
        throw new AccessDeniedException(virtual.toString());
      }
      existing = existing.getParent();
    }
    if (existing == null || !existing.toRealPath().startsWith(realRoot)) {
      throw new AccessDeniedException(virtual.toString());
    }
  }
}
