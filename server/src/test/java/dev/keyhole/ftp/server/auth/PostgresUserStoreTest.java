package dev.keyhole.ftp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcUserStore} against a real PostgreSQL (Debian's {@code postgresql}): the test makes a
 * cluster in a temporary directory with {@code initdb} and runs {@code postgres} on 127.0.0.1 and
 * an ephemeral port, never a system service; as root, both run as {@code nobody}, since PostgreSQL
 * refuses root. On CI ({@code CI} set) a missing PostgreSQL fails the test; elsewhere it is skipped.
 */
class PostgresUserStoreTest {

  private static Process postgres;
  private static Path dir;
  private static int port;

  private static Path binary(String name) {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
          .max(Path::compareTo).orElseThrow();
    } catch (IOException | RuntimeException e) {
      org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("CI") != null, "PostgreSQL is not installed");
      throw new AssertionError("CI: PostgreSQL is not installed (.ci/run installs Debian's postgresql)", e);
    }
  }

  private static List<String> asPostgresUser(String... command) {
    var all = new ArrayList<String>();
    if ("root".equals(System.getProperty("user.name"))) {
      all.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    all.addAll(List.of(command));
    return all;
  }

  @BeforeAll
  static void start() throws Exception {
    var initdb = binary("initdb");
    dir = Files.createTempDirectory("keyhole-pg");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    var data = dir.resolve("data");
    var init = new ProcessBuilder(asPostgresUser(initdb.toString(), "-D", data.toString(), "-U", "keyhole",
        "--auth=trust", "--no-sync")).redirectErrorStream(true).redirectOutput(dir.resolve("initdb.log").toFile()).start();
    assertThat(init.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(init.exitValue()).as(Files.readString(dir.resolve("initdb.log"))).isZero();
    try (var s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    postgres = new ProcessBuilder(asPostgresUser(binary("postgres").toString(), "-D", data.toString(), "-k",
        dir.toString(), "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (var probe = new Socket("127.0.0.1", port)) {
        Thread.sleep(300); // listening; let it finish starting
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("postgres did not start: " + Files.readString(dir.resolve("postgres.log")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (postgres != null) {
      // SIGINT: PostgreSQL's fast shutdown
      new ProcessBuilder("kill", "-INT", Long.toString(postgres.pid())).start().waitFor(10, TimeUnit.SECONDS);
      if (!postgres.waitFor(20, TimeUnit.SECONDS)) {
        postgres.destroyForcibly();
      }
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=keyhole";
  }

  @Test
  void keyholesTableAndAServerLoggingInFromIt() throws Exception {
    var store = JdbcUserStore.of(url());
    store.createTable();
    var home = Files.createDirectories(dir.resolve("home"));
    String hash = PasswordHash.hash("pg-secret", 4);
    store.put("", new UserAccount("frank", PasswordHash.bcrypt(hash), home, EnumSet.allOf(Permission.class)));
    store.put("a.example", new UserAccount("frank", PasswordHash.bcrypt(PasswordHash.hash("other", 4)), home,
        EnumSet.of(Permission.READ)));
    assertThat(store.find("", "frank").orElseThrow().home()).isEqualTo(home);
    assertThat(store.find("A.EXAMPLE", "frank").orElseThrow().permissions()).containsExactly(Permission.READ);
    assertThat(store.list("")).extracting(UserAccount::name).containsExactly("frank");
    var cached = new CachingUserStore(store, java.time.Duration.ofSeconds(30), 100);
    try (var server = TestServer.start(s -> s.authenticator(new StoreAuthenticator(cached, UserStore.DEFAULT_HOST)))) {
      try (var c = RawControl.connect(server)) {
        c.expect(220);
        c.send("USER frank").expect(331);
        c.send("PASS pg-secret").expect(230);
      }
    }
    assertThat(store.delete("a.example", "frank")).isTrue();
    assertThat(store.find("a.example", "frank")).isEmpty();
  }

  @Test
  void anExistingTableThroughAQuery() throws Exception {
    try (var c = DriverManager.getConnection(url()); var s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE IF NOT EXISTS accounts (login TEXT PRIMARY KEY, pw TEXT, dir TEXT, can TEXT)");
      s.executeUpdate("DELETE FROM accounts");
      s.executeUpdate("INSERT INTO accounts VALUES ('gina', '" + PasswordHash.hash("g", 4) + "', '/srv/gina', 'read')");
    }
    var store = JdbcUserStore.withQuery(url(), "SELECT pw AS password, dir AS home, can AS permissions FROM accounts "
        + "WHERE login = :name");
    var gina = store.find("", "gina").orElseThrow();
    assertThat(gina.home()).isEqualTo(Path.of("/srv/gina"));
    assertThat(gina.permissions()).containsExactly(Permission.READ);
    assertThat(gina.password().matches("g")).isTrue();
  }
}
