package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person meets when they get something wrong: each mistake is one line naming the option,
 * or the file and line, with no Java class name and no stack trace, and a non-zero exit.
 */
class CliErrorsTest {

  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = KeyholeCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Fails with exactly this one line on standard error. */
  private void refused(String expected, String... args) {
    var run = run(args);
    assertThat(run.exit()).as("exit code").isNotZero();
    assertThat(run.err()).as("standard error").isEqualTo(expected + System.lineSeparator());
    assertThat(run.err()).doesNotContain("dev.keyhole", "Exception", "java.");
  }

  private String file(String name, String yaml) throws Exception {
    var file = tmp.resolve(name);
    Files.writeString(file, yaml);
    return file.toString();
  }

  @Test
  void yamlMistakesNameTheFileAndTheLine() throws Exception {
    String unknown = file("a.yaml", "port: 2121\nmaxSessions: 5\nidleTimout: 3m\n");
    refused("keyhole check-config: " + unknown + ":3: unknown key 'idleTimout' (did you mean 'idleTimeout'?)",
        "check-config", unknown);
    String noPassword = file("b.yaml", "port: 2121\nusers:\n  - name: bob\n");
    refused("keyhole serve: " + noPassword + ":2: users: user 'bob' has no password (make a hash with keyhole passwd)",
        "serve", "--config", noPassword, "--root", tmp.resolve("r").toString());
    String permission = file("c.yaml", "users:\n  - name: bob\n    password: \"$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\"\n"
        + "    permissions: [wirte]\n");
    refused("keyhole check-config: " + permission + ":1: users: unknown permission 'wirte' (permissions are read, write, "
        + "delete, rename, mkdir)", "check-config", permission);
    String syntax = file("d.yaml", "port: [2121\nroot: x\n");
    var run = run("check-config", syntax);
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).startsWith("keyhole check-config: " + syntax + ":2: not valid YAML: ").hasLineCount(1);
    String value = file("e.yaml", "tls:\n  implicitPort: 99999\n");
    refused("keyhole check-config: " + value + ":2: tls.implicitPort: not a port: '99999'", "check-config", value);
    refused("keyhole check-config: " + tmp.resolve("none.yaml") + ": no such file", "check-config",
        tmp.resolve("none.yaml").toString());
  }

  @Test
  void aBindAddressGivenAsOneStringIsTakenAsAListOfOne() throws Exception {
    String one = file("bind.yaml", "bind: 127.0.0.1\nport: 0\n");
    var run = run("check-config", one);
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("listen:    127.0.0.1:0");
  }

  @Test
  void listenFailuresSayWhy() throws Exception {
    var root = tmp.resolve("root").toString();
    try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      refused("keyhole serve: cannot listen on 127.0.0.1:" + port + ": the address is already in use (another server "
          + "on that port?)", "serve", "--bind", "127.0.0.1:" + port, "--root", root);
    }
    // TEST-NET-1 (RFC 5737) is no address of this machine: the bind fails at once, nothing is sent
    refused("keyhole serve: cannot listen on 192.0.2.1:2121: no interface of this machine has that address",
        "serve", "--bind", "192.0.2.1:2121", "--root", root);
  }

  @Test
  void badOptionValuesNameTheOption() throws Exception {
    refused("keyhole serve: --port: not a port: '99999'", "serve", "--port", "99999");
    refused("keyhole serve: --bind 127.0.0.1:70000: not a port: '70000'", "serve", "--bind", "127.0.0.1:70000");
    refused("keyhole serve: --max-sessions must be at least 1, not 0", "serve", "--max-sessions", "0");
    refused("keyhole serve: --idle-timeout: not a duration: 'soon' (examples: 300, 90s, 5m, 1h, 250ms)",
        "serve", "--idle-timeout", "soon");
    refused("keyhole serve: Unknown options: '--maxsessions', '3' (see keyhole serve --help)",
        "serve", "--maxsessions", "3");
    refused("keyhole ftp ls: --data-channel foo: not one of spsv, epsv, pasv, port, eprt",
        "ftp", "ls", "--data-channel", "foo", "ftp://u:p@127.0.0.1:1/");
  }

  @Test
  void theRootIsADirectoryWhoseParentExists() throws Exception {
    var plainFile = Files.writeString(tmp.resolve("passwd"), "x");
    refused("keyhole serve: --root " + plainFile + ": not a directory", "serve", "--root", plainFile.toString());
    var deep = tmp.resolve("no/such/dir");
    refused("keyhole serve: --root " + deep + ": " + deep.getParent() + " does not exist", "serve", "--root",
        deep.toString());
    assertThat(tmp.resolve("no")).doesNotExist();
  }

  @Test
  void passwordsAreNeverEmptyAndNeedNotBeOnTheCommandLine() throws Exception {
    refused("keyhole serve: --user u: the password is empty", "serve", "--user", "u:");
    refused("keyhole serve: --user u: environment variable KEYHOLE_TEST_UNSET_VARIABLE is not set", "serve",
        "--user", "u:env:KEYHOLE_TEST_UNSET_VARIABLE");
    refused("keyhole serve: --user u: cannot read " + tmp.resolve("missing"), "serve", "--user",
        "u:file:" + tmp.resolve("missing"));
    var secret = Files.writeString(tmp.resolve("secret"), "s3cret\n");
    assertThat(ServeCommand.password("u", "file:" + secret)).isEqualTo("s3cret");
    assertThat(run("serve", "--help").out()).contains("NAME:env:VARIABLE", "NAME:file:PATH");
  }

  @Test
  void versionIsPrinted() {
    var run = run("--version");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("keyhole ");
  }

  @Test
  void anUntrustedCertificateSaysWhatToGive() throws Exception {
    try (var server = TestServer.startTls(t -> t)) {
      var run = run("ftp", "ls", "--tls", "ftp://" + TestServer.USER + ":" + TestServer.PASSWORD + "@127.0.0.1:"
          + server.port() + "/");
      assertThat(run.exit()).isNotZero();
      assertThat(run.err()).hasLineCount(1)
          .contains("the server's certificate is not trusted (give it with --tls-ca FILE, or -k to skip the check)");
    }
  }
}
