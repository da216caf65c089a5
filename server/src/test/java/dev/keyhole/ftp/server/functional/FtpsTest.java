package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.client.ClientTls;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.client.FtpClientException;
import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.tls.TlsSettings;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FTPS (RFC 4217) with Commons Net's {@code FTPSClient} and the project's own client: explicit and
 * implicit TLS, every data-channel kind under PROT P, SPDT included, the policies that require
 * TLS and session reuse, CCC, and TLS that fails or stalls.
 */
class FtpsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path local;
  private TestServer server;
  private FTPSClient ftps;

  @AfterEach
  void stop() throws IOException {
    if (ftps != null) {
      ClientMode.quit(ftps);
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<TlsSettings> tls) {
    server = TestServer.startTls(tls);
  }

  private FTPSClient ftps(boolean implicit) throws IOException {
    var client = new FTPSClient("TLS", implicit);
    client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
    client.setConnectTimeout(5000);
    client.setDefaultTimeout(10_000);
    client.setDataTimeout(Duration.ofSeconds(10));
    client.connect(server.host(), implicit ? server.implicitTlsPort() : server.port());
    client.setSoTimeout(10_000);
    return client;
  }

  private FTPSClient loggedIn(boolean implicit, ClientMode mode) throws IOException {
    ftps = ftps(implicit);
    assertThat(ftps.login(TestServer.USER, TestServer.PASSWORD)).as(ftps.getReplyString()).isTrue();
    ftps.execPBSZ(0);
    ftps.execPROT("P");
    mode.apply(ftps);
    ftps.setFileType(FTP.BINARY_FILE_TYPE);
    return ftps;
  }

  private FtpClient client(boolean implicit) {
    int port = implicit ? server.implicitTlsPort() : server.port();
    var tls = ClientTls.trusting(TestServer.tlsCertificateDir().resolve("cert.pem"), implicit);
    var client = FtpClient.connect(new InetSocketAddress(server.host(), port), Duration.ofSeconds(10), Optional.of(tls))
        .block(WAIT);
    client.login(TestServer.USER, TestServer.PASSWORD).block(WAIT);
    return client;
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  @ParameterizedTest
  @EnumSource(value = ClientMode.class, names = {"PASV", "EPSV", "PORT"})
  void explicitFtpsMovesFilesBothWaysUnderProtP(ClientMode mode) throws Exception {
    start(tls -> tls);
    var file = server.randomFile("pub/data.bin", 2 * 1024 * 1024 + 3);
    loggedIn(false, mode);
    var out = new ByteArrayOutputStream();
    assertThat(ftps.retrieveFile("/pub/data.bin", out)).as(ftps.getReplyString()).isTrue();
    assertThat(TestServer.sha256(out.toByteArray())).isEqualTo(TestServer.sha256(file));
    byte[] up = random(1_500_001);
    assertThat(ftps.storeFile("up.bin", new ByteArrayInputStream(up))).as(ftps.getReplyString()).isTrue();
    assertThat(TestServer.sha256(server.root().resolve("up.bin"))).isEqualTo(TestServer.sha256(up));
    assertThat(ftps.listNames("/pub")).containsExactly("data.bin");
  }

  @Test
  void implicitFtpsGreetsUnderTlsAndDataFollowsProt() throws Exception {
    start(tls -> tls);
    var file = server.randomFile("f.bin", 700_000);
    ftps = ftps(true);
    assertThat(ftps.getReplyCode()).isEqualTo(220);
    assertThat(ftps.login(TestServer.USER, TestServer.PASSWORD)).isTrue();
    ftps.enterLocalPassiveMode();
    ftps.setFileType(FTP.BINARY_FILE_TYPE);
    // as with vsftpd, data connections are clear until PROT P, implicit FTPS or not
    var clear = new ByteArrayOutputStream();
    assertThat(ftps.retrieveFile("f.bin", clear)).as(ftps.getReplyString()).isTrue();
    ftps.execPBSZ(0);
    ftps.execPROT("P");
    var out = new ByteArrayOutputStream();
    assertThat(ftps.retrieveFile("f.bin", out)).as(ftps.getReplyString()).isTrue();
    assertThat(TestServer.sha256(out.toByteArray())).isEqualTo(TestServer.sha256(file));
    assertThat(TestServer.sha256(clear.toByteArray())).isEqualTo(TestServer.sha256(file));
  }

  @ParameterizedTest
  @EnumSource(DataChannelKind.class)
  void bundledClientResumesTheControlSessionOnEveryDataChannelKind(DataChannelKind kind) throws Exception {
    start(tls -> tls.withRequireTls(true, false).withRequireSessionReuse(true));
    var file = server.randomFile("d/file.bin", 1_234_567);
    var client = client(false);
    try {
      assertThat(client.protectsData()).isTrue();
      var got = local.resolve("got.bin");
      assertThat(client.download("/d/file.bin", got, kind, n -> { }).block(WAIT)).isEqualTo(1_234_567L);
      assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(file));
      assertThat(client.upload(got, "/d/back.bin", kind, n -> { }).block(WAIT)).isEqualTo(1_234_567L);
      assertThat(TestServer.sha256(server.root().resolve("d/back.bin"))).isEqualTo(TestServer.sha256(file));
      assertThat(client.list("/d", kind).block(WAIT)).contains("file.bin", "back.bin");
    } finally {
      client.quit().block(WAIT);
    }
  }

  @Test
  void spdtWorksInsideImplicitTls() throws Exception {
    start(tls -> tls.withRequireSessionReuse(true));
    var file = server.randomFile("s.bin", 999_999);
    var client = client(true);
    try {
      var got = local.resolve("s.bin");
      assertThat(client.download("/s.bin", got, DataChannelKind.SPSV, n -> { }).block(WAIT)).isEqualTo(999_999L);
      assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(file));
      assertThat(client.upload(got, "/s2.bin", DataChannelKind.SPSV, n -> { }).block(WAIT)).isEqualTo(999_999L);
      assertThat(TestServer.sha256(server.root().resolve("s2.bin"))).isEqualTo(TestServer.sha256(file));
    } finally {
      client.quit().block(WAIT);
    }
  }

  @Test
  void aDataConnectionThatDoesNotResumeTheSessionIsRefusedWhereReuseIsRequired() throws Exception {
    start(tls -> tls.withRequireSessionReuse(true));
    server.randomFile("f.bin", 10_000);
    // Commons Net opens each data connection with a new TLS session
    loggedIn(false, ClientMode.PASV);
    assertThat(ftps.retrieveFile("f.bin", new ByteArrayOutputStream())).isFalse();
    assertThat(ftps.getReplyCode()).isEqualTo(522);
    assertThat(ftps.getReplyString()).contains("session reuse required");
    // the session goes on
    assertThat(ftps.sendNoOp()).isTrue();
  }

  @Test
  void withoutReuseRequiredANewDataSessionIsAccepted() throws Exception {
    start(tls -> tls);
    server.randomFile("f.bin", 10_000);
    loggedIn(false, ClientMode.PASV);
    assertThat(ftps.retrieveFile("f.bin", new ByteArrayOutputStream())).as(ftps.getReplyString()).isTrue();
  }

  @Test
  void clearLoginIsRefusedWhereTlsIsRequiredButAnonymousIsExempt() throws Exception {
    start(tls -> tls.withRequireTls(true, false));
    try (var raw = RawControl.connect(server)) {
      raw.expect(220);
      assertThat(raw.send("USER " + TestServer.USER).expect(530).text()).contains("must use encryption");
      raw.send("USER anonymous").expect(331);
      raw.send("PASS guest@").expect(230);
    }
  }

  @Test
  void anonymousUsersMustUseTlsTooWhenConfigured() throws Exception {
    start(tls -> tls.withRequireTls(true, true));
    try (var raw = RawControl.connect(server)) {
      raw.expect(220);
      raw.send("USER anonymous").expect(530);
    }
  }

  @Test
  void aProtCTransferIsRefusedWhereTlsIsRequired() throws Exception {
    start(tls -> tls.withRequireTls(true, false));
    server.randomFile("f.bin", 1000);
    loggedIn(false, ClientMode.PASV);
    ftps.execPROT("C");
    assertThat(ftps.retrieveFile("f.bin", new ByteArrayOutputStream())).isFalse();
    assertThat(ftps.getReplyCode()).isEqualTo(521);
    ftps.execPROT("P");
    assertThat(ftps.retrieveFile("f.bin", new ByteArrayOutputStream())).as(ftps.getReplyString()).isTrue();
  }

  @Test
  void securityCommandsCheckTheirOrderAndArguments() throws Exception {
    start(tls -> tls);
    try (var raw = RawControl.connect(server)) {
      raw.expect(220);
      raw.send("PBSZ 0").expect(503);
      raw.send("PROT P").expect(503);
      raw.send("CCC").expect(533);
      raw.send("AUTH KERBEROS_V4").expect(504);
      var feat = raw.send("FEAT").expect(211);
      assertThat(feat.lines()).contains(" AUTH TLS", " PBSZ", " PROT", " CCC");
    }
    ftps = ftps(false);
    ftps.execPBSZ(0); // throws unless 200
    assertThat(ftps.sendCommand("PBSZ", "x")).isEqualTo(501);
    assertThat(ftps.sendCommand("PROT", "S")).isEqualTo(536);
    assertThat(ftps.sendCommand("PROT", "Q")).isEqualTo(504);
    assertThat(ftps.sendCommand("AUTH", "TLS")).isEqualTo(503);
  }

  @Test
  void aServerWithoutTlsDoesNotOfferIt() throws Exception {
    server = TestServer.start();
    try (var raw = RawControl.connect(server)) {
      raw.expect(220);
      raw.send("AUTH TLS").expect(502);
      raw.send("PBSZ 0").expect(502);
      assertThat(raw.send("FEAT").expect(211).lines()).doesNotContain(" AUTH TLS", " PBSZ");
    }
  }

  @Test
  void cccReturnsTheControlConnectionToClearTextAndDataStaysProtected() throws Exception {
    start(tls -> tls.withRequireSessionReuse(false));
    var file = server.randomFile("f.bin", 300_000);
    loggedIn(false, ClientMode.PASV);
    // Commons Net sends its own close_notify after the 200: the server must skip it
    assertThat(ftps.execCCC()).isEqualTo(200);
    assertThat(ftps.printWorkingDirectory()).isEqualTo("/");
    var out = new ByteArrayOutputStream();
    assertThat(ftps.retrieveFile("f.bin", out)).as(ftps.getReplyString()).isTrue();
    assertThat(TestServer.sha256(out.toByteArray())).isEqualTo(TestServer.sha256(file));
  }

  @Test
  void cccBeforeLoginIsRefusedWhereTlsIsRequired() throws Exception {
    start(tls -> tls.withRequireTls(true, false));
    ftps = ftps(false);
    // Commons Net turns a refused CCC into an exception carrying the reply
    assertThatThrownBy(() -> ftps.execCCC()).hasMessageStartingWith("534 ");
    assertThat(ftps.login(TestServer.USER, TestServer.PASSWORD)).isTrue();
  }

  @Test
  void aClientThatChecksTheCertificateRefusesAnUntrustedOne() {
    start(tls -> tls);
    var untrusting = ClientTls.system(false);
    assertThatThrownBy(() -> FtpClient.connect(new InetSocketAddress(server.host(), server.port()),
            Duration.ofSeconds(10), Optional.of(untrusting)).block(WAIT))
        .hasCauseInstanceOf(FtpClientException.class)
        .hasMessageContaining("TLS handshake failed")
        .hasMessageContaining("certification path");
  }

  @Test
  void aStalledHandshakeTimesOutAndFreesItsSession() throws Exception {
    start(tls -> tls.withHandshakeTimeout(Duration.ofMillis(300)));
    try (var socket = new Socket("127.0.0.1", server.implicitTlsPort())) {
      socket.setSoTimeout(5000);
      // send nothing: the server waits for a ClientHello, then gives up and closes
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    for (int i = 0; i < 50 && server.server().openSessions() > 0; i++) {
      Thread.sleep(20);
    }
    assertThat(server.server().openSessions()).isZero();
  }

  @Test
  void theJdkProviderServesWhenBoringSslIsNotUsed() throws Exception {
    System.setProperty("keyhole.tls.provider", "jdk");
    try {
      start(tls -> tls.withRequireSessionReuse(true));
    } finally {
      System.clearProperty("keyhole.tls.provider");
    }
    assertThat(server.server().tls().orElseThrow().provider()).isEqualTo("JDK");
    var file = server.randomFile("j.bin", 654_321);
    var client = client(false);
    try {
      for (var kind : new DataChannelKind[] {DataChannelKind.EPSV, DataChannelKind.SPSV, DataChannelKind.PORT}) {
        var got = local.resolve("j-" + kind + ".bin");
        client.download("/j.bin", got, kind, n -> { }).block(WAIT);
        assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(file));
      }
    } finally {
      client.quit().block(WAIT);
    }
  }

  @Test
  void theSelfSignedCertificateIsMadeOnceAndKept() throws Exception {
    start(tls -> tls);
    String first = server.server().tls().orElseThrow().fingerprint();
    assertThat(Files.readString(TestServer.tlsCertificateDir().resolve("cert.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.getPosixFilePermissions(TestServer.tlsCertificateDir().resolve("key.pem")))
        .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    server.close();
    start(tls -> tls);
    assertThat(server.server().tls().orElseThrow().fingerprint()).isEqualTo(first);
  }
}
