package dev.keyhole.ftp.server.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * A path as the FTP user sees it: absolute, normalised, {@code /} separated, rooted at the user's
 * root. Resolving {@code ..} above the root stays at the root, as a chroot does, so no virtual
 * path can name anything outside it; symbolic links are checked by {@link FileSystemView}.
 *
 * @param segments the path's names from the root, none empty, {@code .} or {@code ..}
 */
public record VirtualPath(List<String> segments) {

  public static final VirtualPath ROOT = new VirtualPath(List.of());

  /** Copies the segments. */
  public VirtualPath {
    segments = List.copyOf(segments);
  }

  /** Resolves an FTP path argument against this directory: absolute arguments start at the root. */
  public VirtualPath resolve(String argument) {
    var out = new ArrayList<String>(argument.startsWith("/") ? List.of() : segments);
    for (String name : argument.split("/")) {
      switch (name) {
        case "", "." -> { }
        case ".." -> {
          if (!out.isEmpty()) {
            out.remove(out.size() - 1);
          }
        }
        default -> out.add(name);
      }
    }
    return new VirtualPath(out);
  }

  /**
   * Whether the last name may be given to a new file or directory: not one holding CR, LF or NUL,
   * which would break the replies and listings that carry it (553 where refused).
   */
  public boolean hasCreatableName() {
    String name = name();
    return name.indexOf('\r') < 0 && name.indexOf('\n') < 0 && name.indexOf('\0') < 0;
  }

  /** Whether this is the user's root. */
  public boolean isRoot() {
    return segments.isEmpty();
  }

  /** The parent directory; the root is its own parent. */
  public VirtualPath parent() {
    return isRoot() ? this : new VirtualPath(segments.subList(0, segments.size() - 1));
  }

  /** The last name, or {@code /} for the root. */
  public String name() {
    return isRoot() ? "/" : segments.get(segments.size() - 1);
  }

  /** The path relative to the root, without a leading slash: empty for the root. */
  public String relative() {
    return String.join("/", segments);
  }

  @Override
  public String toString() {
    return "/" + relative();
  }
}
