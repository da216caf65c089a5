package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.ProbeClient;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.SpdtClient;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import dev.keyhole.ftp.server.tls.TlsCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual hosts (RFC 7151): HOST before login chooses the host, whose users, root and greeting
 * then apply; the same user name on two hosts is two accounts. Every HOST reply: 220, 504 for an
 * unknown name or a foreign address literal, 501 for a port or a malformed name, 503 after login;
 * the last HOST counts, a USER before it is forgotten, REIN forgets the host, FEAT lists HOST, and
 * a HOST that contradicts the TLS server name (SNI) is refused.
 */
class VirtualHostTest {

  @TempDir Path tmp;
  private TestServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Hosts a.example (alias www.a.example) and b.example, each with a user "u" of its own password and root. */
  private void start(UnaryOperator<FtpServer> more) throws IOException {
    var rootA = Files.createDirectories(tmp.resolve("a"));
    var rootB = Files.createDirectories(tmp.resolve("b"));
    Files.writeString(rootA.resolve("in-a.txt"), "a");
    Files.writeString(rootB.resolve("in-b.txt"), "b");
    var a = VirtualHost.of("a.example", users("u", "pw-a", rootA), FileSystemFactory.jailed())
        .withAliases("www.a.example").withBanner("Welcome to A.");
    var b = VirtualHost.of("b.example", users("u", "pw-b", rootB), FileSystemFactory.jailed()).withBanner("Welcome to B.");
    server = TestServer.start(s -> more.apply(s.virtualHost(a).virtualHost(b)));
  }

  private static AccountAuthenticator users(String name, String password, Path root) {
    return new AccountAuthenticator(List.of(new UserAccount(name, PasswordHash.plain(password), root,
        EnumSet.allOf(Permission.class))), Optional.empty());
  }

  @Test
  void hostChoosesTheUsersRootAndGreeting() throws Exception {
    start(s -> s);
    try (var c = RawControl.connect(server)) {
      c.expect(220);
      c.send("FEAT");
      assertThat(c.reply().toWire()).contains(" HOST\r\n");
      assertThat(c.send("HOST a.example").expect(220).text()).isEqualTo("Welcome to A.");
      c.send("USER u").expect(331);
      c.send("PASS pw-b").expect(530);
      c.send("USER u").expect(331);
      c.send("PASS pw-a").expect(230);
      c.send("SIZE in-a.txt").expect(213);
      c.send("SIZE in-b.txt").expect(550);
      c.send("HOST b.example").expect(503);
    }
    try (var c = RawControl.connect(server)) {
      c.expect(220);
      // case does not matter, an alias works, and the last HOST counts
      c.send("HOST WWW.A.Example").expect(220);
      assertThat(c.send("HOST b.example.").expect(220).text()).isEqualTo("Welcome to B.");
      c.send("USER u").expect(331);
      c.send("PASS pw-b").expect(230);
      c.send("SIZE in-b.txt").expect(213);
      // REIN forgets the host: b's user is no longer known
      c.send("REIN").expect(220);
      c.send("USER u").expect(331);
      c.send("PASS pw-b").expect(530);
    }
  }

  @Test
  void everyHostReply() throws Exception {
    start(s -> s);
    try (var c = RawControl.connect(server)) {
      c.expect(220);
      c.send("HOST c.example").expect(504);
      c.send("HOST a.example:21").expect(501);
      c.send("HOST a..example").expect(501);
      c.send("HOST -a.example").expect(501);
      c.send("HOST 2001:db8::1").expect(501);
      c.send("HOST [2001:db8::1").expect(501);
      c.send("HOST 192.0.2.1").expect(504);
      c.send("HOST [::1]").expect(504);
      c.send("HOST").expect(501);
      // the server's own address: the default host (the server's own users)
      assertThat(c.send("HOST 127.0.0.1").expect(220).text()).isEqualTo("Keyhole FTP server ready.");
      c.send("USER " + TestServer.USER).expect(331);
      c.send("PASS " + TestServer.PASSWORD).expect(230);
    }
    // a USER given before HOST belonged to the host before: forgotten
    try (var c = RawControl.connect(server)) {
      c.expect(220);
      c.send("USER u").expect(331);
      c.send("HOST a.example").expect(220);
      c.send("PASS pw-a").expect(503);
    }
  }

  @Test
  void theSameUserOnTwoHostsWithCommonsNet() throws Exception {
    var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    start(s -> s.metrics(new dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder(meters)));
    for (var host : List.of("a", "b")) {
      var ftp = new FTPClient();
      ftp.connect(server.host(), server.port());
      assertThat(ftp.sendCommand("HOST", host + ".example")).isEqualTo(220);
      assertThat(ftp.login("u", "pw-" + host)).isTrue();
      ftp.enterLocalPassiveMode();
      ftp.setFileType(FTP.BINARY_FILE_TYPE);
      assertThat(ftp.listNames()).containsExactly("in-" + host + ".txt");
      assertThat(ftp.storeFile("up.txt", new java.io.ByteArrayInputStream(host.getBytes(StandardCharsets.US_ASCII)))).isTrue();
      ftp.logout();
      ftp.disconnect();
    }
    assertThat(Files.readString(tmp.resolve("a/up.txt"))).isEqualTo("a");
    assertThat(Files.readString(tmp.resolve("b/up.txt"))).isEqualTo("b");
    // the meters carry the host
    for (var host : List.of("a.example", "b.example")) {
      assertThat(meters.get("keyhole.logins").tag("host", host).tag("outcome", "success").counter().count()).isEqualTo(1);
      assertThat(meters.get("keyhole.transfers").tag("host", host).tag("direction", "upload").timer().count()).isEqualTo(1);
    }
  }

  @Test
  void aDefaultHostIsWhatClientsWithoutHostGet() throws Exception {
    var root = Files.createDirectories(tmp.resolve("d"));
    var d = VirtualHost.of("d.example", users("dora", "pw-d", root), FileSystemFactory.jailed()).withBanner("D here.")
        .asDefault();
    server = TestServer.start(s -> s.virtualHost(d));
    try (var c = RawControl.connect(server)) {
      assertThat(c.expect(220).text()).isEqualTo("D here.");
      c.send("USER dora").expect(331);
      c.send("PASS pw-d").expect(230);
    }
    assertThatThrownBy(() -> FtpServer.create().virtualHost(d)
        .virtualHost(VirtualHost.of("D.example", users("x", "y", root), FileSystemFactory.jailed())))
        .hasMessageContaining("answer to D.example");
    assertThatThrownBy(() -> FtpServer.create().virtualHost(d)
        .virtualHost(VirtualHost.of("e.example", users("x", "y", root), FileSystemFactory.jailed()).asDefault()))
        .hasMessageContaining("more than one default");
  }

  @Test
  void withoutVirtualHostsEveryNameIsThisServer() throws Exception {
    server = TestServer.start();
    try (var c = RawControl.connect(server)) {
      c.expect(220);
      c.send("HOST ftp.example.org").expect(220);
      c.send("HOST ftp.example.org:21").expect(501);
      c.send("USER " + TestServer.USER).expect(331);
      c.send("PASS " + TestServer.PASSWORD).expect(230);
    }
  }

  /** The SHA-256 of a PEM certificate file's first certificate. */
  private static String fingerprint(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return TestServer.sha256(CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
    }
  }

  /** TLS over an open socket, with the server name {@code sni} (none when null); returns the server certificate's SHA-256. */
  private static SSLSocket tls(Socket plain, String sni) throws Exception {
    var tls = (SSLSocket) ProbeClient.trustingContext().getSocketFactory()
        .createSocket(plain, "127.0.0.1", plain.getPort(), false);
    var params = tls.getSSLParameters();
    params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    tls.setSSLParameters(params);
    tls.startHandshake();
    return tls;
  }

  private static String peer(SSLSocket tls) throws Exception {
    return TestServer.sha256(tls.getSession().getPeerCertificates()[0].getEncoded());
  }

  private static String line(SSLSocket tls, String command) throws IOException {
    if (command != null) {
      tls.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    return SpdtClient.readLine(tls.getInputStream());
  }

  private static Socket explicit(TestServer server, String beforeAuth) throws IOException {
    var plain = new Socket();
    plain.connect(new InetSocketAddress(server.host(), server.port()), 5000);
    plain.setSoTimeout(10_000);
    assertThat(SpdtClient.readLine(plain.getInputStream())).startsWith("220");
    if (beforeAuth != null) {
      plain.getOutputStream().write((beforeAuth + "\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(SpdtClient.readLine(plain.getInputStream())).startsWith("220");
    }
    plain.getOutputStream().write("AUTH TLS\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(SpdtClient.readLine(plain.getInputStream())).startsWith("234");
    return plain;
  }

  @Test
  void theTlsServerNameOrAHostBeforeAuthChoosesTheHostsCertificate() throws Exception {
    var rootA = Files.createDirectories(tmp.resolve("a"));
    var rootB = Files.createDirectories(tmp.resolve("b"));
    var a = VirtualHost.of("a.example", users("u", "pw-a", rootA), FileSystemFactory.jailed()).withBanner("A.")
        .withCertificate(new TlsCertificate.SelfSigned(tmp.resolve("tls-a")));
    var b = VirtualHost.of("b.example", users("u", "pw-b", rootB), FileSystemFactory.jailed()).withBanner("B.")
        .withCertificate(new TlsCertificate.SelfSigned(tmp.resolve("tls-b")));
    server = TestServer.startTls(t -> t, s -> s.virtualHost(a).virtualHost(b));
    String certA = fingerprint(tmp.resolve("tls-a/cert.pem"));
    String certB = fingerprint(tmp.resolve("tls-b/cert.pem"));
    String certServer = fingerprint(TestServer.tlsCertificateDir().resolve("cert.pem"));
    assertThat(Set.of(certA, certB, certServer)).hasSize(3);
    // AUTH TLS: the server name chooses the certificate, and the host: a's user logs in without HOST
    try (var plain = explicit(server, null); var tls = tls(plain, "a.example")) {
      assertThat(peer(tls)).isEqualTo(certA);
      assertThat(line(tls, "USER u")).startsWith("331");
      assertThat(line(tls, "PASS pw-a")).startsWith("230");
    }
    try (var plain = explicit(server, null); var tls = tls(plain, "B.EXAMPLE")) {
      assertThat(peer(tls)).isEqualTo(certB);
    }
    try (var plain = explicit(server, null); var tls = tls(plain, null)) {
      assertThat(peer(tls)).isEqualTo(certServer);
    }
    // HOST before AUTH, no server name: the host's certificate (RFC 7151 section 3.2), the host kept
    try (var plain = explicit(server, "HOST b.example"); var tls = tls(plain, null)) {
      assertThat(peer(tls)).isEqualTo(certB);
      assertThat(line(tls, "USER u")).startsWith("331");
      assertThat(line(tls, "PASS pw-b")).startsWith("230");
    }
    // implicit FTPS: the server name chooses before the greeting, which is the host's
    try (var plain = new Socket()) {
      plain.connect(new InetSocketAddress(server.host(), server.implicitTlsPort()), 5000);
      plain.setSoTimeout(10_000);
      try (var tls = tls(plain, "a.example")) {
        assertThat(peer(tls)).isEqualTo(certA);
        assertThat(line(tls, null)).isEqualTo("220 A.");
        assertThat(line(tls, "USER u")).startsWith("331");
        assertThat(line(tls, "PASS pw-a")).startsWith("230");
      }
    }
    // and a real client: openssl s_client -starttls ftp -servername
    var openssl = dev.keyhole.ftp.server.ExternalTool.require("openssl").toString();
    var shown = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of("sh", "-c", "echo QUIT | " + openssl
        + " s_client -connect 127.0.0.1:" + server.port() + " -starttls ftp -servername b.example 2>/dev/null | "
        + openssl + " x509 -outform DER | sha256sum"));
    assertThat(shown.output()).startsWith(certB);
  }

  /** curl's --pinnedpubkey for a PEM certificate: sha256// and the base64 SHA-256 of its public key. */
  private static String pin(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      byte[] key = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey().getEncoded();
      return "sha256//" + java.util.Base64.getEncoder().encodeToString(
          java.security.MessageDigest.getInstance("SHA-256").digest(key));
    }
  }

  /**
   * curl names the host only in TLS (SNI; it sends no HOST): the server name alone chooses the
   * certificate (checked with --pinnedpubkey) and the host, whose users and root apply, on
   * explicit and implicit FTPS, as the same user name with two passwords.
   */
  @Test
  void curlReachesTwoHostsByTheirTlsServerName() throws Exception {
    var curl = dev.keyhole.ftp.server.ExternalTool.require("curl").toString();
    var rootA = Files.createDirectories(tmp.resolve("a"));
    var rootB = Files.createDirectories(tmp.resolve("b"));
    Files.writeString(rootA.resolve("only-a.txt"), "a");
    Files.writeString(rootB.resolve("only-b.txt"), "b");
    var a = VirtualHost.of("a.example", users("u", "pw-a", rootA), FileSystemFactory.jailed())
        .withCertificate(new TlsCertificate.SelfSigned(tmp.resolve("tls-a")));
    var b = VirtualHost.of("b.example", users("u", "pw-b", rootB), FileSystemFactory.jailed())
        .withCertificate(new TlsCertificate.SelfSigned(tmp.resolve("tls-b")));
    server = TestServer.startTls(t -> t, s -> s.virtualHost(a).virtualHost(b));
    for (var host : List.of("a", "b")) {
      String name = host + ".example";
      String pin = pin(tmp.resolve("tls-" + host + "/cert.pem"));
      for (var url : List.of("ftp://u:pw-" + host + "@" + name + ":" + server.port() + "/",
          "ftps://u:pw-" + host + "@" + name + ":" + server.implicitTlsPort() + "/")) {
        int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/$", "$1"));
        var listed = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "--ssl-reqd", "-k",
            "--pinnedpubkey", pin, "--resolve", name + ":" + port + ":127.0.0.1", "--list-only", url));
        assertThat(listed.exit()).as(url + ": " + listed.output()).isZero();
        assertThat(listed.output()).contains("only-" + host + ".txt").doesNotContain("only-" + (host.equals("a") ? "b" : "a"));
      }
      // the other host's pin: curl refuses the certificate it gets
      String other = pin(tmp.resolve("tls-" + (host.equals("a") ? "b" : "a") + "/cert.pem"));
      var refused = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "--ssl-reqd", "-k", "--pinnedpubkey",
          other, "--resolve", name + ":" + server.port() + ":127.0.0.1", "--list-only",
          "ftp://u:pw-" + host + "@" + name + ":" + server.port() + "/"));
      assertThat(refused.exit()).isNotZero();
    }
  }

  /**
   * lftp sends HOST by itself when FEAT lists it, with the name it was given: "localhost" reaches
   * the virtual host of that name, the address literal the default host; the same user name with
   * each host's password and root.
   */
  @Test
  void lftpSendsHostByItself() throws Exception {
    var lftp = dev.keyhole.ftp.server.ExternalTool.require("lftp").toString();
    var rootA = Files.createDirectories(tmp.resolve("a"));
    var rootB = Files.createDirectories(tmp.resolve("b"));
    Files.writeString(rootA.resolve("only-a.txt"), "a");
    Files.writeString(rootB.resolve("only-b.txt"), "b");
    var local = VirtualHost.of("localhost", users("u", "pw-a", rootA), FileSystemFactory.jailed());
    server = TestServer.start(s -> s.virtualHost(local).authenticator(users("u", "pw-b", rootB)));
    for (var target : List.of(List.of("localhost", "pw-a", "only-a.txt"), List.of("127.0.0.1", "pw-b", "only-b.txt"))) {
      var result = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(lftp, "-d", "-e",
          "set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 10; cls; quit",
          "-u", "u," + target.get(1), "-p", Integer.toString(server.port()), target.get(0)));
      assertThat(result.exit()).as(result.output()).isZero();
      assertThat(result.output()).contains("---> HOST " + target.get(0)).contains(target.get(2));
    }
  }

  @Test
  void aHostOtherThanTheTlsServerNameIsRefused() throws Exception {
    var rootA = Files.createDirectories(tmp.resolve("a"));
    var a = VirtualHost.of("a.example", users("u", "pw-a", rootA), FileSystemFactory.jailed());
    var b = VirtualHost.of("b.example", users("u", "pw-b", rootA), FileSystemFactory.jailed());
    server = TestServer.startTls(t -> t, s -> s.virtualHost(a).virtualHost(b));
    try (var plain = new Socket()) {
      plain.connect(new InetSocketAddress(server.host(), server.port()), 5000);
      plain.setSoTimeout(10_000);
      assertThat(SpdtClient.readLine(plain.getInputStream())).startsWith("220");
      plain.getOutputStream().write("AUTH TLS\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(SpdtClient.readLine(plain.getInputStream())).startsWith("234");
      try (var tls = (SSLSocket) ProbeClient.trustingContext().getSocketFactory()
          .createSocket(plain, server.host(), server.port(), false)) {
        var params = tls.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName("a.example")));
        tls.setSSLParameters(params);
        tls.startHandshake();
        tls.getOutputStream().write("HOST b.example\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("504");
        tls.getOutputStream().write("HOST A.example\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("220");
        tls.getOutputStream().write("USER u\r\nPASS pw-a\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("331");
        assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("230");
      }
    }
  }
}
