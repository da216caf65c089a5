package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code keyhole users} against a running {@code keyhole serve --users jdbc:sqlite:…}: an account
 * added while the server runs logs in, a changed password takes effect, a removed account no
 * longer logs in; the password comes from standard input, never the command line.
 */
@Isolated // replaces System.in and System.out
class UsersCommandTest {

  @TempDir Path tmp;

  private static int users(String stdin, String... args) {
    InputStream in = System.in;
    PrintStream out = System.out;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      var all = new java.util.ArrayList<String>(java.util.List.of("users"));
      all.addAll(java.util.List.of(args));
      return KeyholeCli.commandLine().execute(all.toArray(String[]::new));
    } finally {
      System.setIn(in);
      System.setOut(out);
    }
  }

  private static boolean login(int port, String user, String password) throws Exception {
    var ftp = new FTPClient();
    ftp.connect("127.0.0.1", port);
    try {
      return ftp.login(user, password);
    } finally {
      ftp.disconnect();
    }
  }

  @Test
  void accountsChangeWhileTheServerRuns() throws Exception {
    String url = "jdbc:sqlite:" + tmp.resolve("users.db");
    var home = Files.createDirectories(tmp.resolve("alice"));
    var cli = KeyholeCli.commandLine();
    cli.parseArgs("serve", "--port", "0", "--users", url, "--users-cache", "0s", "--failed-login-delay", "0s");
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
    var server = serve.configure(ConfigFile.empty()).server().bindNow();
    try {
      assertThat(login(server.port(), "alice", "first")).isFalse();
      assertThat(users("first\n", "add", "alice", "--home", home.toString(), "--users", url)).isZero();
      assertThat(login(server.port(), "alice", "first")).isTrue();
      assertThat(users("second\n", "passwd", "alice", "--users", url)).isZero();
      assertThat(login(server.port(), "alice", "first")).isFalse();
      assertThat(login(server.port(), "alice", "second")).isTrue();
      assertThat(users("", "del", "alice", "--users", url)).isZero();
      assertThat(login(server.port(), "alice", "second")).isFalse();
      assertThat(users("", "del", "alice", "--users", url)).isEqualTo(1);
      assertThat(users("", "add", "bob", "--home", home.toString(), "--users", url)).as("no password").isEqualTo(1);
    } finally {
      server.disposeNow(Duration.ofSeconds(2));
    }
  }
}
