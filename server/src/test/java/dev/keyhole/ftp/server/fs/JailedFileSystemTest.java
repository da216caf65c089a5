package dev.keyhole.ftp.server.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JailedFileSystemTest {

  @TempDir Path tmp;

  @Test
  void pathsInsideTheRootMap() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    var fs = JailedFileSystem.open(root);
    assertThat(fs.toPath(VirtualPath.ROOT.resolve("/a/b.txt"))).isEqualTo(root.resolve("a/b.txt"));
  }

  @Test
  void symlinkLeadingOutsideIsRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "x");
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("secretlink"), outside.resolve("secret"));
    var fs = JailedFileSystem.open(root);
    assertThatThrownBy(() -> fs.toPath(VirtualPath.ROOT.resolve("escape/secret"))).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> fs.toPath(VirtualPath.ROOT.resolve("escape/newfile"))).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> fs.toPath(VirtualPath.ROOT.resolve("secretlink"))).isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void danglingSymlinkIsRefused() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("would-be-created"));
    var fs = JailedFileSystem.open(root);
    assertThatThrownBy(() -> fs.toPath(VirtualPath.ROOT.resolve("dangling"))).isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void symlinkInsideTheRootIsFollowed() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
    var fs = JailedFileSystem.open(root);
    assertThat(fs.toPath(VirtualPath.ROOT.resolve("alias/x"))).isEqualTo(root.resolve("alias/x"));
  }

  @Test
  void aLinkDeepBelowTheRootIsCheckedAndPlainPathsStayCheap() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/file"), "x");
    Files.createSymbolicLink(root.resolve("a/b/out"), outside);
    var fs = JailedFileSystem.open(root);
    assertThat(fs.toPath(VirtualPath.ROOT.resolve("/a/b/file"))).isEqualTo(root.resolve("a/b/file"));
    assertThat(fs.toPath(VirtualPath.ROOT.resolve("/a/new/deeper/file"))).isEqualTo(root.resolve("a/new/deeper/file"));
    assertThatThrownBy(() -> fs.toPath(VirtualPath.ROOT.resolve("/a/b/out/x"))).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> fs.toPath(VirtualPath.ROOT.resolve("/a/b/out"))).isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void aRootReachedThroughALinkServesItsFiles() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real-root"));
    Files.writeString(real.resolve("f"), "x");
    Path root = Files.createSymbolicLink(tmp.resolve("root-link"), real);
    var fs = JailedFileSystem.open(root);
    assertThat(fs.toPath(VirtualPath.ROOT.resolve("/f"))).isEqualTo(root.resolve("f"));
  }
}
