package dev.keyhole.ftp.server.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

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

  /** The tree under {@code root}, whose real path is known to be {@code realRoot}: no file-system call. */
  static JailedFileSystem opened(Path root, Path realRoot) {
    return new JailedFileSystem(root, realRoot);
  }

  /** The root's real path, as it was when opened. */
  Path realRoot() {
    return realRoot;
  }

  /** The user's root: nothing above it is reachable. */
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

  /**
   * The path stays under the root unless one of its components below the root is a symbolic link:
   * one {@code lstat} per existing component says so, where resolving the whole real path took an
   * {@code access} and a {@code readlink} for every component from the file system's top (six
   * system calls for a file in the root, per transfer; see docs/benchmarks.md). A link anywhere
   * below the root, or a component that cannot be looked at, takes the full check.
   */
  private void checkInside(Path p, VirtualPath virtual) throws IOException {
    Path component = root;
    for (String name : virtual.segments()) {
      component = component.resolve(name);
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(component, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return; // nothing below a missing component exists, so no link either
      } catch (IOException e) {
        checkThroughLinks(p, virtual);
        return;
      }
      if (attributes.isSymbolicLink()) {
        checkThroughLinks(p, virtual);
        return;
      }
    }
  }

  /** Follows the links: the nearest existing ancestor's real path must be under the root's. */
  private void checkThroughLinks(Path p, VirtualPath virtual) throws IOException {
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
