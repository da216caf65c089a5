package dev.keyhole.ftp.server.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/** Fuzz target: no argument resolves to a path above the root or to an unnormalised one. */
class VirtualPathFuzzTest {

  @FuzzTest
  void resolve(@NotNull String cwd, @NotNull String argument) {
    VirtualPath base = VirtualPath.ROOT.resolve(cwd);
    VirtualPath resolved = base.resolve(argument);
    assertThat(resolved.segments()).noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals("..") || s.contains("/"));
    assertThat(VirtualPath.ROOT.resolve(resolved.toString())).isEqualTo(resolved);
    assertThat(resolved.toString()).startsWith("/");
    assertThat(resolved.parent().segments().size()).isEqualTo(Math.max(0, resolved.segments().size() - 1));
  }
}
