package dev.keyhole.ftp.server.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JailedFactoryTest {

  @TempDir Path tmp;

  private User user(Path home) {
    return new User("u", home, EnumSet.allOf(Permission.class), false);
  }

  @Test
  void aHomeOpensAtOnceOnlyAfterItWasOpened() throws Exception {
    var factory = FileSystemFactory.jailed();
    var alice = user(tmp.resolve("alice"));
    assertThat(factory.openAtOnce(alice)).isEmpty();

    var opened = factory.open(alice);
    assertThat(Files.isDirectory(tmp.resolve("alice"))).as("created at the first open").isTrue();
    var again = factory.openAtOnce(alice).orElseThrow();
    var path = VirtualPath.ROOT.resolve("/a/b.txt");
    assertThat(again.toPath(path)).isEqualTo(opened.toPath(path));
    // another home has not been seen
    assertThat(factory.openAtOnce(user(tmp.resolve("bob")))).isEmpty();
  }

  @Test
  void theJailHoldsInAViewOpenedAtOnce() throws Exception {
    var factory = FileSystemFactory.jailed();
    Path home = tmp.resolve("home");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    factory.open(user(home));
    Files.createSymbolicLink(home.resolve("escape"), outside);
    var view = factory.openAtOnce(user(home)).orElseThrow();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> view.toPath(VirtualPath.ROOT.resolve("escape/x")))
        .isInstanceOf(java.nio.file.AccessDeniedException.class);
  }

  @Test
  void eachFactoryRemembersItsOwnHomes() throws Exception {
    var one = FileSystemFactory.jailed();
    var other = FileSystemFactory.jailed();
    var alice = user(tmp.resolve("alice"));
    one.open(alice);
    assertThat(other.openAtOnce(alice)).isEmpty();
  }
}
