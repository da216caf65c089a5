package dev.keyhole.ftp.alg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.ExternalTool.Result;
import dev.keyhole.ftp.server.ExternalTool;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ALG with real clients and a real third-party server: curl over IPv4 through nat46 and over
 * IPv6 through nat64, in passive and active mode, and vsftpd (Debian's) as the upstream of nat46
 * (on ::1), nat64 and spsv-gateway (on 127.0.0.1). On CI ({@code CI} set) a missing tool fails the
 * test; {@code .ci/run} installs curl and vsftpd.
 */
class AlgInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path work;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private static Path requireTool(String tool) {
    return ExternalTool.require(tool);
  }

  private Result run(List<String> command) throws Exception {
    return ExternalTool.run(work, command);
  }

  private InetSocketAddress alg(String listenHost, InetSocketAddress upstream, AlgMode mode) {
    var alg = FtpAlg.from(AlgConfig.of(List.of(new AlgListener(new InetSocketAddress(listenHost, 0), upstream, mode))))
        .bind().block(WAIT);
    closing.add(alg::disposeNow);
    return alg.addresses().get(0);
  }

  private static String url(InetSocketAddress address, String user, String path) {
    String host = address.getAddress().getHostAddress();
    return "ftp://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/" + path;
  }

  /** Lists, downloads and uploads with curl in each mode; checks the bytes on the server's side. */
  private void curlRoundTrips(InetSocketAddress alg, String user, Path serverRoot, String family,
      List<List<String>> modes) throws Exception {
    byte[] content = new byte[1_234_567];
    new Random(11).nextBytes(content);
    Files.write(serverRoot.resolve("dl.bin"), content);
    var upload = work.resolve("up.bin");
    Files.write(upload, content);
    for (var mode : modes) {
      String tag = String.join("", mode).replaceAll("[^a-z0-9]", "");
      var base = new ArrayList<>(List.of("curl", "-sS", family, "--max-time", "30"));
      base.addAll(mode);
      var list = new ArrayList<>(base);
      list.add(url(alg, user, ""));
      var listed = run(list);
      assertThat(listed.exit()).as(mode + ": " + listed.output()).isZero();
      assertThat(listed.output()).contains("dl.bin");

      var got = work.resolve("got-" + tag + ".bin");
      var get = new ArrayList<>(base);
      get.addAll(List.of("-o", got.toString(), url(alg, user, "dl.bin")));
      var downloaded = run(get);
      assertThat(downloaded.exit()).as(mode + ": " + downloaded.output()).isZero();
      assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(content));

      var put = new ArrayList<>(base);
      put.addAll(List.of("-T", upload.toString(), url(alg, user, "up-" + tag + ".bin")));
      var uploaded = run(put);
      assertThat(uploaded.exit()).as(mode + ": " + uploaded.output()).isZero();
      assertThat(TestServer.sha256(serverRoot.resolve("up-" + tag + ".bin"))).isEqualTo(TestServer.sha256(content));
    }
  }

  @Test
  void curlOverIpv4ThroughNat46ToAnIpv6OnlyKeyhole() throws Exception {
    requireTool("curl");
    var server = TestServer.start("::1", s -> s);
    closing.add(server);
    var alg = alg("127.0.0.1", new InetSocketAddress("::1", server.port()), AlgMode.NAT46);
    curlRoundTrips(alg, TestServer.USER + ":" + TestServer.PASSWORD, server.root(), "-4", List.of(
        List.of(), List.of("--disable-epsv"), List.of("-P", "127.0.0.1"), List.of("-P", "127.0.0.1", "--disable-eprt")));
  }

  @Test
  void curlOverIpv6ThroughNat64ToAnIpv4OnlyKeyhole() throws Exception {
    requireTool("curl");
    var server = TestServer.start();
    closing.add(server);
    var alg = alg("::1", new InetSocketAddress("127.0.0.1", server.port()), AlgMode.NAT64);
    curlRoundTrips(alg, TestServer.USER + ":" + TestServer.PASSWORD, server.root(), "-6", List.of(
        List.of(), List.of("-P", "::1")));
  }

  @Test
  void curlThroughTheAdapterToASinglePortKeyhole() throws Exception {
    requireTool("curl");
    var server = TestServer.start(s -> s.singlePort());
    closing.add(server);
    var alg = alg("127.0.0.1", new InetSocketAddress("127.0.0.1", server.port()), AlgMode.SPSV_ADAPTER);
    curlRoundTrips(alg, TestServer.USER + ":" + TestServer.PASSWORD, server.root(), "-4", List.of(
        List.of(), List.of("--disable-epsv"), List.of("-P", "127.0.0.1"), List.of("-P", "127.0.0.1", "--disable-eprt")));
  }

  /** vsftpd from Debian, anonymous with uploads, run as the test's user in a root of its own. */
  private Path vsftpd(String address, int port) throws Exception {
    Path vsftpd = requireTool("vsftpd");
    Path root = Files.createDirectories(work.resolve("vsftpd-root-" + port));
    root.toFile().setWritable(true, false);
    boolean v6 = address.contains(":");
    Path conf = work.resolve("vsftpd-" + port + ".conf");
    Files.writeString(conf, String.join("\n",
        v6 ? "listen=NO" : "listen=YES", v6 ? "listen_ipv6=YES" : "listen_ipv6=NO",
        v6 ? "listen_address6=" + address : "listen_address=" + address, "listen_port=" + port,
        "background=NO", "run_as_launching_user=YES", "anonymous_enable=YES", "anon_root=" + root,
        "no_anon_password=YES", "write_enable=YES", "anon_upload_enable=YES", "anon_mkdir_write_enable=YES",
        "anon_other_write_enable=YES", "anon_umask=022", "local_enable=NO", "allow_writeable_chroot=YES",
        "seccomp_sandbox=NO", "connect_from_port_20=NO", "xferlog_enable=NO", "max_per_ip=0", ""));
    var process = new ProcessBuilder(vsftpd.toString(), conf.toString()).redirectErrorStream(true)
        .redirectOutput(work.resolve("vsftpd-" + port + ".log").toFile()).start();
    closing.add(() -> {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("vsftpd runs: " + Files.readString(work.resolve("vsftpd-" + port + ".log"))).isTrue();
      try (var socket = new Socket(address, port)) {
        socket.setSoTimeout(2000);
        InputStream in = socket.getInputStream();
        if (in.read() == '2') {
          return root;
        }
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("vsftpd did not greet on " + address + " port " + port);
  }

  private static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void curlThroughNat46ToVsftpdOnIpv6() throws Exception {
    requireTool("curl");
    int port = freePort();
    var root = vsftpd("::1", port);
    var alg = alg("127.0.0.1", new InetSocketAddress("::1", port), AlgMode.NAT46);
    curlRoundTrips(alg, "anonymous:", root, "-4", List.of(List.of(), List.of("--disable-epsv"), List.of("-P", "127.0.0.1")));
  }

  @Test
  void curlThroughNat64ToVsftpdOnIpv4() throws Exception {
    requireTool("curl");
    int port = freePort();
    var root = vsftpd("127.0.0.1", port);
    var alg = alg("::1", new InetSocketAddress("127.0.0.1", port), AlgMode.NAT64);
    curlRoundTrips(alg, "anonymous:", root, "-6", List.of(List.of(), List.of("-P", "::1")));
  }

  @Test
  void theBundledClientUsesOneAlgPortInFrontOfVsftpd() throws Exception {
    int port = freePort();
    var root = vsftpd("127.0.0.1", port);
    byte[] content = new byte[2_000_001];
    new Random(3).nextBytes(content);
    Files.write(root.resolve("file.bin"), content);
    var alg = alg("127.0.0.1", new InetSocketAddress("127.0.0.1", port), AlgMode.SPSV_GATEWAY);
    var client = FtpClient.connect(alg, Duration.ofSeconds(10)).block(WAIT);
    try {
      client.login("anonymous", "keyhole@").block(WAIT);
      assertThat(client.features()).contains("SPSV");
      var got = work.resolve("file.bin");
      // relative paths: vsftpd run as an ordinary user cannot chroot, so / is the machine's root
      client.download("file.bin", got, DataChannelKind.SPSV, n -> { }).block(WAIT);
      assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(content));
      client.upload(got, "copy.bin", DataChannelKind.SPSV, n -> { }).block(WAIT);
      assertThat(TestServer.sha256(root.resolve("copy.bin"))).isEqualTo(TestServer.sha256(content));
      assertThat(client.list("", DataChannelKind.SPSV).block(WAIT)).contains("file.bin", "copy.bin");
    } finally {
      client.quit().block(WAIT);
    }
  }
}
