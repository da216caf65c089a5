package dev.keyhole.ftp.server.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * What a listing shows of one file: read without following symbolic links, so that a link's
 * target outside the user's tree is never read.
 *
 * @param name the name to show
 * @param attributes the link's own attributes for a link
 * @param permissions POSIX permissions where the file system has them
 * @param linkTarget a symbolic link's target text
 */
public record FileEntry(String name, BasicFileAttributes attributes,
    Optional<Set<PosixFilePermission>> permissions, Optional<String> linkTarget) {

  /** Reads the entry of {@code path}, shown as {@code name}. Blocking. */
  public static FileEntry read(Path path, String name) throws IOException {
    BasicFileAttributes attrs;
    Optional<Set<PosixFilePermission>> perms;
    try {
      PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      attrs = posix;
      perms = Optional.of(posix.permissions());
    } catch (UnsupportedOperationException e) {
      attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      perms = Optional.empty();
    }
    Optional<String> target = attrs.isSymbolicLink()
        ? Optional.of(Files.readSymbolicLink(path).toString())
        : Optional.empty();
    return new FileEntry(name, attrs, perms, target);
  }
}
