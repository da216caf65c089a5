package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ExternalTool.Result;
import dev.keyhole.ftp.server.ExternalTool;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server driven by real clients: curl, lftp and Python's ftplib, passive and active. On CI
 * ({@code CI} set) a missing client fails the test; {@code .ci/run} installs them from Debian.
 */
class InteropTest {

  @TempDir Path local;
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private static void requireTool(String tool) {
    ExternalTool.require(tool);
  }

  private Result run(List<String> command) throws Exception {
    return ExternalTool.run(local, command);
  }

  private String url(String path) {
    return "ftp://" + TestServer.USER + ":" + TestServer.PASSWORD + "@" + server.host() + ":" + server.port() + "/" + path;
  }

  /**
   * The defect that cut every binary download longer than the idle timeout: curl reading at 1 MB/s,
   * four times the session's idle timeout, gets the whole file, passive and active; so does an
   * upload at that rate.
   */
  @Test
  void curlTransfersSlowerThanTheIdleTimeoutComplete() throws Exception {
    requireTool("curl");
    try (var slow = TestServer.start(s -> s.option(ServerOptions.IDLE_TIMEOUT, java.time.Duration.ofSeconds(1)))) {
      var source = slow.randomFile("big.bin", 4_000_000);
      String base = "ftp://" + TestServer.USER + ":" + TestServer.PASSWORD + "@" + slow.host() + ":" + slow.port() + "/";
      for (List<String> mode : List.of(List.<String>of(), List.of("-P", "127.0.0.1"))) {
        var get = local.resolve("slow-" + mode.size() + ".bin");
        var got = run(concat(List.of("curl", "-sS", "--max-time", "30", "--limit-rate", "1M", "-o", get.toString()), mode,
            List.of(base + "big.bin")));
        assertThat(got.exit()).as(got.output()).isZero();
        assertThat(TestServer.sha256(get)).isEqualTo(TestServer.sha256(source));
      }
      var put = run(List.of("curl", "-sS", "--max-time", "30", "--limit-rate", "1M", "-T", source.toString(), base + "up.bin"));
      assertThat(put.exit()).as(put.output()).isZero();
      assertThat(TestServer.sha256(slow.root().resolve("up.bin"))).isEqualTo(TestServer.sha256(source));
    }
  }

  @Test
  void curlListsGetsPutsAndResumesInPassiveAndActiveMode() throws Exception {
    requireTool("curl");
    var source = server.randomFile("dl/file.bin", 2_000_000);
    var upload = local.resolve("upload.bin");
    Files.write(upload, Files.readAllBytes(source));
    for (List<String> mode : List.of(List.<String>of(), List.of("--disable-epsv"), List.of("-P", "127.0.0.1"),
        List.of("-P", "127.0.0.1", "--disable-eprt"))) {
      String tag = String.join("", mode).replaceAll("[^a-z0-9]", "");
      var list = run(concat(List.of("curl", "-sS", "--max-time", "30"), mode, List.of(url("dl/"))));
      assertThat(list.exit()).as(list.output()).isZero();
      assertThat(list.output()).contains("file.bin");

      var get = local.resolve("get-" + tag + ".bin");
      var got = run(concat(List.of("curl", "-sS", "--max-time", "30", "-o", get.toString()), mode, List.of(url("dl/file.bin"))));
      assertThat(got.exit()).as(got.output()).isZero();
      assertThat(TestServer.sha256(get)).isEqualTo(TestServer.sha256(source));

      var put = run(concat(List.of("curl", "-sS", "--max-time", "30", "-T", upload.toString()), mode,
          List.of(url("up/" + tag + ".bin"), "--ftp-create-dirs")));
      assertThat(put.exit()).as(put.output()).isZero();
      assertThat(TestServer.sha256(server.root().resolve("up/" + tag + ".bin"))).isEqualTo(TestServer.sha256(source));

      // resume a download from a partial local file
      var partial = local.resolve("partial-" + tag + ".bin");
      Files.write(partial, Arrays.copyOf(Files.readAllBytes(source), 777_777));
      var resumed = run(concat(List.of("curl", "-sS", "--max-time", "30", "-C", "-", "-o", partial.toString()), mode,
          List.of(url("dl/file.bin"))));
      assertThat(resumed.exit()).as(resumed.output()).isZero();
      assertThat(TestServer.sha256(partial)).isEqualTo(TestServer.sha256(source));

      // resume an upload onto a partial remote file
      Files.write(server.root().resolve("up/partial-" + tag + ".bin"), Arrays.copyOf(Files.readAllBytes(source), 555_555));
      var up = run(concat(List.of("curl", "-sS", "--max-time", "30", "-C", "-", "-T", upload.toString()), mode,
          List.of(url("up/partial-" + tag + ".bin"))));
      assertThat(up.exit()).as(up.output()).isZero();
      assertThat(TestServer.sha256(server.root().resolve("up/partial-" + tag + ".bin"))).isEqualTo(TestServer.sha256(source));
    }
  }

  @Test
  void lftpMirrorsBothWaysInPassiveAndActiveMode() throws Exception {
    requireTool("lftp");
    var source = server.randomFile("tree/a/one.bin", 1_500_000);
    server.randomFile("tree/b/two.bin", 3_000);
    for (boolean passive : new boolean[] {true, false}) {
      var into = local.resolve("mirror-" + passive);
      String script = String.join("; ",
          "set ftp:ssl-allow no", "set net:max-retries 1", "set net:timeout 10",
          "set ftp:passive-mode " + (passive ? "on" : "off"),
          "open -u " + TestServer.USER + "," + TestServer.PASSWORD + " -p " + server.port() + " " + server.host(),
          "mirror tree " + into,
          "mirror -R " + into + " back-" + passive,
          "get tree/a/one.bin -o " + local.resolve("one-" + passive + ".bin"),
          "cls -l tree/a",
          "bye");
      var result = run(List.of("lftp", "-c", script));
      assertThat(result.exit()).as(result.output()).isZero();
      assertThat(result.output()).contains("one.bin");
      assertThat(TestServer.sha256(into.resolve("a/one.bin"))).isEqualTo(TestServer.sha256(source));
      assertThat(TestServer.sha256(server.root().resolve("back-" + passive + "/a/one.bin"))).isEqualTo(TestServer.sha256(source));
      assertThat(Files.size(server.root().resolve("back-" + passive + "/b/two.bin"))).isEqualTo(3_000);
      assertThat(TestServer.sha256(local.resolve("one-" + passive + ".bin"))).isEqualTo(TestServer.sha256(source));
    }
  }

  @Test
  void pythonFtplibPassiveAndActive() throws Exception {
    requireTool("python3");
    var script = local.resolve("ftplib_client.py");
    try (var in = InteropTest.class.getResourceAsStream("/interop/ftplib_client.py")) {
      Files.write(script, in.readAllBytes());
    }
    var result = run(List.of("python3", script.toString(), server.host(), String.valueOf(server.port()),
        TestServer.USER, TestServer.PASSWORD, local.toString()));
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("ftplib: ok");
    assertThat(Files.size(server.root().resolve("pydir-True/moved.bin"))).isEqualTo(300_000);
    assertThat(Files.size(server.root().resolve("pydir-False/moved.bin"))).isEqualTo(300_000);
  }

  @Test
  void curlUsesExplicitAndImplicitFtpsWithSessionReuseAndCcc() throws Exception {
    requireTool("curl");
    try (var tls = TestServer.startTls(t -> t.withRequireTls(true, false).withRequireSessionReuse(true))) {
      var source = tls.randomFile("dl/file.bin", 1_500_000);
      var upload = local.resolve("upload.bin");
      Files.copy(source, upload);
      String base = "ftp://" + TestServer.USER + ":" + TestServer.PASSWORD + "@" + tls.host() + ":" + tls.port() + "/";
      // curl's active-mode FTPS is broken in Debian 12's curl 7.88 (against vsftpd too): passive kinds only
      for (List<String> mode : List.of(List.<String>of(), List.of("--disable-epsv"))) {
        String tag = String.join("", mode).replaceAll("[^a-z0-9]", "");
        var get = local.resolve("get-" + tag + ".bin");
        var got = run(concat(List.of("curl", "-sS", "--max-time", "30", "--ssl-reqd", "-k", "-o", get.toString()), mode,
            List.of(base + "dl/file.bin")));
        assertThat(got.exit()).as(got.output()).isZero();
        assertThat(TestServer.sha256(get)).isEqualTo(TestServer.sha256(source));
        var put = run(concat(List.of("curl", "-sS", "--max-time", "30", "--ssl-reqd", "-k", "-T", upload.toString()), mode,
            List.of(base + "up-" + tag + ".bin")));
        assertThat(put.exit()).as(put.output()).isZero();
        assertThat(TestServer.sha256(tls.root().resolve("up-" + tag + ".bin"))).isEqualTo(TestServer.sha256(source));
        var list = run(concat(List.of("curl", "-sS", "--max-time", "30", "--ssl-reqd", "-k"), mode, List.of(base + "dl/")));
        assertThat(list.exit()).as(list.output()).isZero();
        assertThat(list.output()).contains("file.bin");
      }
      var implicit = local.resolve("implicit.bin");
      var got = run(List.of("curl", "-sS", "--max-time", "30", "-k", "-o", implicit.toString(),
          "ftps://" + TestServer.USER + ":" + TestServer.PASSWORD + "@" + tls.host() + ":" + tls.implicitTlsPort() + "/dl/file.bin"));
      assertThat(got.exit()).as(got.output()).isZero();
      assertThat(TestServer.sha256(implicit)).isEqualTo(TestServer.sha256(source));
      // the same server refuses a clear login
      var clear = run(List.of("curl", "-sS", "--max-time", "30", base + "dl/file.bin", "-o", local.resolve("no.bin").toString()));
      assertThat(clear.exit()).isNotZero();
    }
    // CCC after login, in both of curl's modes: passive answers the server's close_notify with
    // nothing, active with its own. curl forgets the TLS session on CCC, so reuse is not required here.
    try (var tls = TestServer.startTls(t -> t.withRequireTls(true, false))) {
      var source = tls.randomFile("c.bin", 800_000);
      for (String ccc : List.of("passive", "active")) {
        var afterCcc = local.resolve("ccc-" + ccc + ".bin");
        var got = run(List.of("curl", "-sS", "--max-time", "30", "--ssl-reqd", "-k", "--ftp-ssl-ccc",
            "--ftp-ssl-ccc-mode", ccc, "-o", afterCcc.toString(),
            "ftp://" + TestServer.USER + ":" + TestServer.PASSWORD + "@" + tls.host() + ":" + tls.port() + "/c.bin"));
        assertThat(got.exit()).as(got.output()).isZero();
        assertThat(TestServer.sha256(afterCcc)).isEqualTo(TestServer.sha256(source));
      }
    }
  }

  @Test
  void lftpForcesTlsAndResumesTheSessionInPassiveAndActiveModeAndSpeaksImplicitFtps() throws Exception {
    requireTool("lftp");
    try (var tls = TestServer.startTls(t -> t.withRequireTls(true, false).withRequireSessionReuse(true))) {
      var source = tls.randomFile("tree/one.bin", 1_200_000);
      for (boolean passive : new boolean[] {true, false}) {
        var got = local.resolve("lftp-" + passive + ".bin");
        String script = String.join("; ",
            "set ftp:ssl-force true", "set ftp:ssl-protect-data true", "set ssl:verify-certificate no",
            "set net:max-retries 1", "set net:timeout 10",
            "set ftp:passive-mode " + (passive ? "on" : "off"),
            "open -u " + TestServer.USER + "," + TestServer.PASSWORD + " -p " + tls.port() + " " + tls.host(),
            "get tree/one.bin -o " + got,
            "put " + got + " -o back-" + passive + ".bin",
            "cls -l tree",
            "bye");
        var result = run(List.of("lftp", "-c", script));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("one.bin");
        assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(source));
        assertThat(TestServer.sha256(tls.root().resolve("back-" + passive + ".bin"))).isEqualTo(TestServer.sha256(source));
      }
      // implicit FTPS
      var implicit = local.resolve("lftp-implicit.bin");
      var result = run(List.of("lftp", "-c", String.join("; ",
          "set ftp:ssl-protect-data true", "set ssl:verify-certificate no", "set net:max-retries 1", "set net:timeout 10",
          "open -u " + TestServer.USER + "," + TestServer.PASSWORD + " ftps://" + tls.host() + ":" + tls.implicitTlsPort(),
          "get tree/one.bin -o " + implicit, "bye")));
      assertThat(result.exit()).as(result.output()).isZero();
      assertThat(TestServer.sha256(implicit)).isEqualTo(TestServer.sha256(source));
    }
  }

  @Test
  void pythonFtplibTlsPassiveAndActive() throws Exception {
    requireTool("python3");
    var script = local.resolve("ftplib_tls_client.py");
    try (var in = InteropTest.class.getResourceAsStream("/interop/ftplib_tls_client.py")) {
      Files.write(script, in.readAllBytes());
    }
    // ftplib opens every data connection with a new TLS session: it cannot meet a reuse requirement
    try (var tls = TestServer.startTls(t -> t.withRequireTls(true, false))) {
      var result = run(List.of("python3", script.toString(), tls.host(), String.valueOf(tls.port()),
          TestServer.USER, TestServer.PASSWORD));
      assertThat(result.exit()).as(result.output()).isZero();
      assertThat(result.output()).contains("ftplib tls: ok");
      assertThat(Files.size(tls.root().resolve("tls-port.bin"))).isEqualTo(400_000);
    }
    try (var strict = TestServer.startTls(t -> t.withRequireSessionReuse(true))) {
      strict.randomFile("tls-pasv.bin", 1000);
      var refused = run(List.of("python3", script.toString(), strict.host(), String.valueOf(strict.port()),
          TestServer.USER, TestServer.PASSWORD, "expect-522"));
      assertThat(refused.exit()).as(refused.output()).isZero();
      assertThat(refused.output()).contains("ftplib tls: refused with 522");
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    var all = new ArrayList<String>();
    for (var p : parts) {
      all.addAll(p);
    }
    return all;
  }
}
