package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.FtpInterceptor;
import dev.keyhole.ftp.server.api.FtpInterceptor.Action;
import dev.keyhole.ftp.server.api.FtpInterceptor.Decision;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The embedding API an application meets first: interceptors that allow, deny or disconnect
 * before logins, commands and file operations; events for deletions, renames and new
 * directories; events kept for a subscriber that is behind; a dispose that does not block.
 */
class InterceptorTest {

  /** A policy as an application would write one: no .exe uploads, no deleting under /keep, no user "mallory". */
  private static final FtpInterceptor POLICY = action -> Mono.just(switch (action) {
    case Action.Login login when login.user().equals("mallory") -> Decision.disconnect("Go away.");
    case Action.Upload upload when upload.path().endsWith(".exe") -> Decision.deny(553, "No executables here.");
    case Action.Delete delete when delete.path().startsWith("/keep/") -> Decision.deny(550, "Kept.");
    case Action.Rename rename when rename.to().startsWith("/keep/") -> Decision.deny(553, "Kept.");
    case Action.MakeDirectory mkdir when mkdir.path().contains("tmp") -> Decision.deny(550, "No tmp dirs.");
    case Action.Download download when download.path().equals("/secret.bin") -> Decision.deny(550, "Not yours.");
    case Action.Command command when command.verb().equals("SITE") -> Decision.deny(502, "No SITE here.");
    default -> Decision.ALLOW;
  });

  @Test
  void interceptorsAllowDenyAndDisconnect() throws Exception {
    List<Action> seen = new CopyOnWriteArrayList<>();
    try (var server = TestServer.start(s -> s.interceptor(a -> {
          seen.add(a);
          return Mono.empty(); // no opinion: allowed
        }).interceptor(POLICY))) {
      Files.createDirectories(server.root().resolve("keep"));
      Files.writeString(server.root().resolve("keep/a.txt"), "a");
      Files.writeString(server.root().resolve("secret.bin"), "s");
      Files.writeString(server.root().resolve("open.bin"), "o");
      var client = ClientMode.PASV.connect(server);
      try {
        assertThat(client.storeFile("x.exe", new ByteArrayInputStream(new byte[10]))).isFalse();
        assertThat(client.getReplyCode()).isEqualTo(553);
        assertThat(Files.exists(server.root().resolve("x.exe"))).isFalse();
        assertThat(client.storeFile("x.txt", new ByteArrayInputStream(new byte[10]))).isTrue();
        assertThat(client.deleteFile("/keep/a.txt")).isFalse();
        assertThat(client.getReplyCode()).isEqualTo(550);
        assertThat(client.rename("x.txt", "/keep/x.txt")).isFalse();
        assertThat(client.makeDirectory("tmp1")).isFalse();
        assertThat(client.makeDirectory("data")).isTrue();
        assertThat(client.retrieveFile("secret.bin", new ByteArrayOutputStream())).isFalse();
        assertThat(client.retrieveFile("open.bin", new ByteArrayOutputStream())).isTrue();
        assertThat(client.sendCommand("SITE", "HELP")).isEqualTo(502);
        assertThat(client.sendNoOp()).isTrue();
      } finally {
        ClientMode.quit(client);
      }
      try (var raw = RawControl.connect(server)) {
        raw.expect(220);
        raw.send("USER mallory").expect(331);
        assertThat(raw.send("PASS anything").expect(421).text()).isEqualTo("Go away.");
        assertThat(raw.closedByServer()).isTrue();
      }
      // the passive interceptor saw every command, PASS without its password
      assertThat(seen).anySatisfy(a -> assertThat(a).isEqualTo(new Action.Command(a.client(), "PASS", "****")));
      assertThat(seen).anySatisfy(a -> assertThat(a).isInstanceOf(Action.Login.class));
      assertThat(seen).noneMatch(a -> a instanceof Action.Command c && c.verb().equals("PASS") && !c.argument().equals("****"));
    }
  }

  @Test
  void deletionsRenamesAndNewDirectoriesAreEvents() throws Exception {
    try (var server = TestServer.start()) {
      List<FtpEvent> events = new CopyOnWriteArrayList<>();
      var subscription = server.server().events().subscribe(events::add);
      Files.writeString(server.root().resolve("f"), "x");
      try (var c = RawControl.login(server)) {
        c.send("MKD d").expect(257);
        c.send("RNFR f").expect(350);
        c.send("RNTO d/g").expect(250);
        c.send("DELE d/g").expect(250);
        c.send("RMD d").expect(250);
      }
      SessionTest.waitUntil(() -> events.stream().anyMatch(e -> e instanceof FtpEvent.SessionClosed));
      subscription.dispose();
      assertThat(events).filteredOn(e -> !(e instanceof FtpEvent.SessionOpened || e instanceof FtpEvent.LoggedIn
          || e instanceof FtpEvent.SessionClosed)).map(e -> e.getClass().getSimpleName() + " " + describe(e))
          .containsExactly("DirectoryCreated /d", "Renamed /f -> /d/g", "Deleted /d/g file", "Deleted /d directory");
    }
  }

  private static String describe(FtpEvent e) {
    return switch (e) {
      case FtpEvent.DirectoryCreated d -> d.path();
      case FtpEvent.Renamed r -> r.from() + " -> " + r.to();
      case FtpEvent.Deleted d -> d.path() + (d.directory() ? " directory" : " file");
      default -> e.toString();
    };
  }

  @Test
  void aSlowSubscriberMissesNoEvent() throws Exception {
    try (var server = TestServer.start()) {
      List<FtpEvent> events = new CopyOnWriteArrayList<>();
      // one event a 20 ms: far slower than the sessions below produce them
      var subscription = server.server().events()
          .concatMap(e -> Mono.just(e).delayElement(Duration.ofMillis(20)))
          .subscribe(events::add);
      for (int i = 0; i < 20; i++) {
        try (var c = RawControl.login(server)) {
          c.send("QUIT").expect(221);
        }
      }
      SessionTest.waitUntil(() -> events.stream().filter(e -> e instanceof FtpEvent.SessionClosed).count() == 20);
      subscription.dispose();
      assertThat(events.stream().filter(e -> e instanceof FtpEvent.SessionOpened)).hasSize(20);
      assertThat(events.stream().filter(e -> e instanceof FtpEvent.LoggedIn)).hasSize(20);
    }
  }

  @Test
  void disposeReturnsAtOnceAndOnDisposeTellsWhenItIsDone() throws Exception {
    var server = TestServer.start();
    try (var c = RawControl.login(server)) {
      long start = System.nanoTime();
      server.server().dispose();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
      server.server().onDispose().block(Duration.ofSeconds(10));
      assertThat(server.server().isDisposed()).isTrue();
      assertThat(c.closedByServer()).isTrue();
    } finally {
      server.close();
    }
  }
}
