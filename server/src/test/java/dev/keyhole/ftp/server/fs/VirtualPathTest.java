package dev.keyhole.ftp.server.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VirtualPathTest {

  @Test
  void relativeAndAbsoluteArgumentsResolve() {
    var cwd = VirtualPath.ROOT.resolve("/pub/iso");
    assertThat(cwd.resolve("debian.iso")).hasToString("/pub/iso/debian.iso");
    assertThat(cwd.resolve("/etc/passwd")).hasToString("/etc/passwd");
    assertThat(cwd.resolve("../src/./a//b/")).hasToString("/pub/src/a/b");
  }

  @Test
  void dotDotNeverClimbsAboveTheRoot() {
    assertThat(VirtualPath.ROOT.resolve("../../../etc/passwd")).hasToString("/etc/passwd");
    assertThat(VirtualPath.ROOT.resolve("..")).isEqualTo(VirtualPath.ROOT);
    assertThat(VirtualPath.ROOT.resolve("a/../../..")).isEqualTo(VirtualPath.ROOT);
  }

  @Test
  void parentAndName() {
    var p = VirtualPath.ROOT.resolve("/a/b");
    assertThat(p.name()).isEqualTo("b");
    assertThat(p.parent()).hasToString("/a");
    assertThat(VirtualPath.ROOT.parent()).isEqualTo(VirtualPath.ROOT);
  }
}
