package dev.keyhole.ftp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL user store on SQLite: Keyhole's own table (add, replace, find per host, list, delete,
 * limits), an existing table read through the operator's query, the cache in front, and a server
 * whose logins go to the store: accounts added while it runs log in, removed ones do not, and a
 * broken database is a clean error reply with the session going on.
 */
class JdbcUserStoreTest {

  @TempDir Path tmp;

  private static final String HASH = PasswordHash.hash("secret", 4);

  private UserAccount account(String name, Path home) {
    return new UserAccount(name, PasswordHash.bcrypt(HASH), home, EnumSet.of(Permission.READ, Permission.WRITE),
        new UserLimits(OptionalLong.of(1 << 20), OptionalLong.empty(), OptionalLong.of(10L << 20), OptionalLong.empty()));
  }

  @Test
  void keyholesOwnTable() throws Exception {
    var store = JdbcUserStore.of("jdbc:sqlite:" + tmp.resolve("users.db"));
    store.createTable();
    store.createTable(); // twice is fine
    store.put("", account("alice", tmp.resolve("alice")));
    store.put("files.example.com", account("alice", tmp.resolve("other")));
    var found = store.find("", "alice").orElseThrow();
    assertThat(found.home()).isEqualTo(tmp.resolve("alice"));
    assertThat(found.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.WRITE);
    assertThat(found.limits().downloadRate()).hasValue(1 << 20);
    assertThat(found.limits().uploadRate()).isEmpty();
    assertThat(found.password().matches("secret")).isTrue();
    // hosts are compared without case; the same name on two hosts is two accounts
    assertThat(store.find("FILES.example.com", "alice").orElseThrow().home()).isEqualTo(tmp.resolve("other"));
    assertThat(store.find("", "bob")).isEmpty();
    store.put("", account("alice", tmp.resolve("moved")));
    assertThat(store.find("", "alice").orElseThrow().home()).isEqualTo(tmp.resolve("moved"));
    assertThat(store.list("")).extracting(UserAccount::name).containsExactly("alice");
    assertThat(store.delete("", "alice")).isTrue();
    assertThat(store.delete("", "alice")).isFalse();
    assertThat(store.find("", "alice")).isEmpty();
    assertThat(store.find("files.example.com", "alice")).isPresent();
    assertThatThrownBy(() -> store.put("", new UserAccount("p", PasswordHash.plain("x"), tmp, EnumSet.allOf(Permission.class))))
        .hasMessageContaining("bcrypt");
  }

  @Test
  void anExistingTableThroughTheOperatorsQuery() throws Exception {
    String url = "jdbc:sqlite:" + tmp.resolve("legacy.db");
    try (var c = DriverManager.getConnection(url); var s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE ftpusers (User TEXT, Password TEXT, Dir TEXT, Site TEXT)");
      s.executeUpdate("INSERT INTO ftpusers VALUES ('carol', '" + HASH + "', '/srv/carol', 'a.example')");
    }
    var store = JdbcUserStore.withQuery(url,
        "SELECT Password AS password, Dir AS home FROM ftpusers WHERE User = :name AND (Site = :host OR :host = '')");
    // :host twice: each occurrence is bound
    assertThat(store.find("a.example", "carol").orElseThrow().home()).isEqualTo(Path.of("/srv/carol"));
    assertThat(store.find("a.example", "carol").orElseThrow().permissions()).isEqualTo(EnumSet.allOf(Permission.class));
    assertThat(store.find("b.example", "carol")).isEmpty();
    assertThatThrownBy(() -> store.put("", account("x", tmp))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> JdbcUserStore.withQuery(url, "SELECT * FROM ftpusers")).hasMessageContaining(":name");
  }

  @Test
  void theCacheKeepsAnswersForItsTimeAndForgetsWhatChangesThroughIt() throws Exception {
    var store = JdbcUserStore.of("jdbc:sqlite:" + tmp.resolve("cache.db"));
    store.createTable();
    var clock = new AtomicLong();
    var cache = new CachingUserStore(store, Duration.ofSeconds(30), 1000, clock::get);
    assertThat(cache.find("", "dave")).isEmpty();
    store.put("", account("dave", tmp)); // behind the cache's back: the "not found" is kept
    assertThat(cache.find("", "dave")).isEmpty();
    clock.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(cache.find("", "dave")).isPresent();
    cache.delete("", "dave"); // through it: at once
    assertThat(cache.find("", "dave")).isEmpty();
  }

  @Test
  void aServerLogsInFromTheStoreAndServesOnWhenItBreaks() throws Exception {
    Path db = tmp.resolve("live.db");
    var store = JdbcUserStore.of("jdbc:sqlite:" + db);
    store.createTable();
    var home = Files.createDirectories(tmp.resolve("home"));
    try (var server = TestServer.start(s -> s.authenticator(new StoreAuthenticator(store, UserStore.DEFAULT_HOST)))) {
      try (var c = RawControl.connect(server)) {
        c.expect(220);
        c.send("USER erin").expect(331);
        c.send("PASS secret").expect(530);
      }
      store.put("", account("erin", home));
      try (var c = RawControl.connect(server)) {
        c.expect(220);
        c.send("USER erin").expect(331);
        c.send("PASS wrong").expect(530);
        c.send("USER erin").expect(331);
        c.send("PASS secret").expect(230);
        c.send("PWD").expect(257);
      }
      // the database goes bad: a clean error reply, and the session goes on
      Files.writeString(db, "not a database");
      try (var c = RawControl.connect(server)) {
        c.expect(220);
        c.send("USER erin").expect(331);
        int code = c.send("PASS secret").reply().code();
        assertThat(code).isBetween(421, 530).isNotEqualTo(230);
        c.send("NOOP").expect(200);
      }
    }
  }
}
