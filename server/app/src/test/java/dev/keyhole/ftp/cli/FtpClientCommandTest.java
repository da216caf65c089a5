package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.client.FtpUrl;
import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyhole ftp} against a single-port server, in-process. */
class FtpClientCommandTest {

  @TempDir Path local;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    var err = new StringWriter();
    var out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int exit = KeyholeCli.commandLine().setErr(new PrintWriter(err, true)).execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(saved);
    }
  }

  private static dev.keyhole.ftp.server.auth.AccountAuthenticator user(String name, String password, Path root) {
    return new dev.keyhole.ftp.server.auth.AccountAuthenticator(List.of(new dev.keyhole.ftp.server.auth.UserAccount(name,
        dev.keyhole.ftp.server.auth.PasswordHash.plain(password), root,
        java.util.EnumSet.allOf(dev.keyhole.ftp.server.auth.Permission.class))), java.util.Optional.empty());
  }

  /** The URL names a host: the client sends HOST (and, under TLS, names it as the server name); --connect-to says where it is. */
  @Test
  void aUrlNamingAVirtualHostSendsHost() throws Exception {
    var rootA = Files.createDirectories(local.resolve("a"));
    var rootB = Files.createDirectories(local.resolve("b"));
    Files.writeString(rootA.resolve("only-a.txt"), "a");
    Files.writeString(rootB.resolve("only-b.txt"), "b");
    var a = dev.keyhole.ftp.server.api.VirtualHost.of("a.example", user("u", "pw-a", rootA),
        dev.keyhole.ftp.server.fs.FileSystemFactory.jailed())
        .withCertificate(new dev.keyhole.ftp.server.tls.TlsCertificate.SelfSigned(local.resolve("tls-a")));
    var b = dev.keyhole.ftp.server.api.VirtualHost.of("b.example", user("u", "pw-b", rootB),
        dev.keyhole.ftp.server.fs.FileSystemFactory.jailed());
    try (var server = TestServer.startTls(t -> t, s -> s.virtualHost(a).virtualHost(b))) {
      String to = "127.0.0.1:" + server.port();
      var listA = run("ftp", "ls", "ftp://u:pw-a@a.example:" + server.port() + "/", "--connect-to", to);
      assertThat(listA.exit()).as(listA.err()).isZero();
      assertThat(listA.out()).contains("only-a.txt").doesNotContain("only-b.txt");
      var listB = run("ftp", "ls", "ftp://u:pw-b@b.example:" + server.port() + "/", "--connect-to", to);
      assertThat(listB.out()).contains("only-b.txt");
      // explicit FTPS: HOST before AUTH TLS gets a's own certificate, checked against the URL's host
      // name (the tests' self-signed certificates name localhost: refused), or accepted with -k
      var checked = run("ftp", "ls", "ftpes://u:pw-a@a.example:" + server.port() + "/", "--connect-to", to,
          "--tls-ca", local.resolve("tls-a/cert.pem").toString());
      assertThat(checked.exit()).isNotZero();
      assertThat(checked.err()).contains("a.example");
      var tls = run("ftp", "ls", "ftpes://u:pw-a@a.example:" + server.port() + "/", "--connect-to", to, "-k",
          "--data-channel", "spsv");
      assertThat(tls.exit()).as(tls.err()).isZero();
      assertThat(tls.out()).contains("only-a.txt");
      var unknown = run("ftp", "ls", "ftp://u:pw-a@c.example:" + server.port() + "/", "--connect-to", to);
      assertThat(unknown.exit()).isNotZero();
      assertThat(unknown.err()).contains("HOST c.example");
    }
  }

  @Test
  void putLsGetRmThroughOnePort() throws Exception {
    try (var server = TestServer.start(s -> s.singlePort())) {
      String base = "ftp://user:secret@127.0.0.1:" + server.port() + "/";
      var source = local.resolve("payload.bin");
      byte[] data = new byte[700_000];
      new java.util.Random(3).nextBytes(data);
      Files.write(source, data);

      assertThat(run("ftp", "put", source.toString(), base).exit()).isZero();
      assertThat(TestServer.sha256(server.root().resolve("payload.bin"))).isEqualTo(TestServer.sha256(data));

      var ls = run("ftp", "ls", base);
      assertThat(ls.exit()).isZero();
      assertThat(ls.out()).contains("payload.bin");

      var target = local.resolve("back.bin");
      assertThat(run("ftp", "get", base + "payload.bin", target.toString()).exit()).isZero();
      assertThat(TestServer.sha256(target)).isEqualTo(TestServer.sha256(data));

      assertThat(run("ftp", "rm", base + "payload.bin").exit()).isZero();
      assertThat(Files.exists(server.root().resolve("payload.bin"))).isFalse();

      var missing = run("ftp", "get", base + "payload.bin", target.toString());
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).isEqualTo("keyhole ftp get: RETR refused: 550 No such file or directory." + System.lineSeparator());
    }
  }

  @Test
  void everyDataChannelCanBeChosen() throws Exception {
    try (var server = TestServer.start()) {
      server.randomFile("f.bin", 12345);
      for (String kind : new String[] {"spsv", "epsv", "pasv", "port", "eprt"}) {
        var target = local.resolve(kind + ".bin");
        var result = run("ftp", "get", "--data-channel", kind,
            "ftp://user:secret@127.0.0.1:" + server.port() + "/f.bin", target.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(Files.size(target)).isEqualTo(12345);
      }
    }
  }

  @Test
  void wrongPasswordIsAClearError() throws Exception {
    try (var server = TestServer.start()) {
      var result = run("ftp", "ls", "ftp://user:nope@127.0.0.1:" + server.port() + "/");
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err()).contains("login refused: 530");
    }
  }

  @Test
  void urlsParse() {
    var url = FtpUrl.parse("ftp://al%40ice:p%3Ass@[::1]:2121/pub/a%20b.txt");
    assertThat(url).isEqualTo(new FtpUrl("::1", 2121, "al@ice", "p:ss", "/pub/a b.txt"));
    assertThat(url.fileName()).isEqualTo("a b.txt");
    assertThat(FtpUrl.parse("ftp://example.org")).isEqualTo(new FtpUrl("example.org", 21, "anonymous", "keyhole@", "/"));
    assertThatThrownBy(() -> FtpUrl.parse("http://example.org/")).hasMessageContaining("expected ftp://");
    assertThat(FtpUrl.parse("ftps://u:p@example.org/x")).isEqualTo(
        new FtpUrl("example.org", 990, "u", "p", "/x", FtpUrl.Security.IMPLICIT));
    assertThat(FtpUrl.parse("ftpes://example.org:2121/").security()).isEqualTo(FtpUrl.Security.EXPLICIT);
  }

  @Test
  void tlsOptionsAndFtpsUrlsReachAnFtpsServer() throws Exception {
    try (var server = TestServer.startTls(tls -> tls.withRequireTls(true, false).withRequireSessionReuse(true))) {
      var source = server.randomFile("secret.bin", 333_333);
      String ca = TestServer.tlsCertificateDir().resolve("cert.pem").toString();
      var target = local.resolve("explicit.bin");
      var explicit = run("ftp", "get", "--tls", "--tls-ca", ca, "--data-channel", "spsv",
          "ftp://user:secret@127.0.0.1:" + server.port() + "/secret.bin", target.toString());
      assertThat(explicit.exit()).as(explicit.err()).isZero();
      assertThat(TestServer.sha256(target)).isEqualTo(TestServer.sha256(source));
      var implicit = run("ftp", "ls", "-k", "ftps://user:secret@127.0.0.1:" + server.implicitTlsPort() + "/");
      assertThat(implicit.exit()).as(implicit.err()).isZero();
      assertThat(implicit.out()).contains("secret.bin");
      var clear = run("ftp", "ls", "ftp://user:secret@127.0.0.1:" + server.port() + "/");
      assertThat(clear.exit()).isNotZero();
      assertThat(clear.err()).contains("530");
      var untrusted = run("ftp", "ls", "ftpes://user:secret@127.0.0.1:" + server.port() + "/");
      assertThat(untrusted.exit()).isNotZero();
      assertThat(untrusted.err()).contains("TLS handshake failed");
    }
  }

  @Test
  void progressLineShowsPercentSizeAndRate() {
    var bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), true, OptionalLong.of(4 * 1024 * 1024));
    assertThat(bar.line(2 * 1024 * 1024, 1_000_000_000L))
        .isEqualTo("[##########          ]  50%  2.0 MiB of 4.0 MiB  2.0 MiB/s");
  }
}
