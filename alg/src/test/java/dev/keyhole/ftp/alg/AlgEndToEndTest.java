package dev.keyhole.ftp.alg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.alg.metrics.AlgMeters;
import dev.keyhole.ftp.alg.metrics.MicrometerAlgMetricsRecorder;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.transport.DataChannelKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.resources.LoopResources;

/**
 * The ALG between real clients and Keyhole's own server, on loopback: IPv6 clients to an IPv4
 * server (nat64), IPv4 clients to an IPv6 server (nat46), and SPSV clients to a server without
 * SPSV (spsv-gateway), with downloads, uploads and listings checked by SHA-256.
 */
class AlgEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path local;
  private TestServer upstream;
  private DisposableAlg alg;
  private FTPClient client;

  @AfterEach
  void stop() throws IOException {
    if (client != null && client.isConnected()) {
      client.disconnect();
    }
    if (alg != null) {
      alg.disposeNow(Duration.ofSeconds(5));
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private InetSocketAddress startAlg(String upstreamHost, String listenHost, AlgMode mode) {
    alg = FtpAlg.create()
        .listener(new InetSocketAddress(listenHost, 0), new InetSocketAddress(upstreamHost, upstream.port()), mode)
        .bindNow(WAIT);
    return alg.addresses().get(0);
  }

  private FTPClient connect(FTPClient ftp, InetSocketAddress address, String mode) throws IOException {
    ftp.setConnectTimeout(5000);
    ftp.setDefaultTimeout(10_000);
    ftp.setDataTimeout(Duration.ofSeconds(10));
    ftp.connect(address.getAddress(), address.getPort());
    assertThat(ftp.login(TestServer.USER, TestServer.PASSWORD)).as(ftp.getReplyString()).isTrue();
    ftp.setFileType(FTP.BINARY_FILE_TYPE);
    switch (mode) {
      case "pasv" -> {
        ftp.enterLocalPassiveMode();
        ftp.setUseEPSVwithIPv4(false);
      }
      case "epsv" -> {
        ftp.enterLocalPassiveMode();
        ftp.setUseEPSVwithIPv4(true);
      }
      default -> ftp.enterLocalActiveMode();
    }
    return ftp;
  }

  /** Commons Net sends EPRT only over IPv6; this one sends it over IPv4 too. */
  private static final class EprtClient extends FTPClient {
    @Override
    public int port(InetAddress host, int port) throws IOException {
      return eprt(host, port);
    }
  }

  private void transfersBothWaysAndLists() throws IOException {
    var file = upstream.randomFile("pub/data.bin", 1_500_000 + 7);
    var out = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("/pub/data.bin", out)).as(client.getReplyString()).isTrue();
    assertThat(TestServer.sha256(out.toByteArray())).isEqualTo(TestServer.sha256(file));
    byte[] up = new byte[1_200_003];
    new Random(5).nextBytes(up);
    assertThat(client.storeFile("/pub/up.bin", new ByteArrayInputStream(up))).as(client.getReplyString()).isTrue();
    assertThat(TestServer.sha256(upstream.root().resolve("pub/up.bin"))).isEqualTo(TestServer.sha256(up));
    assertThat(client.listNames("/pub")).containsExactlyInAnyOrder("data.bin", "up.bin");
  }

  @ParameterizedTest
  @ValueSource(strings = {"epsv", "eprt"})
  void nat64CarriesIpv6ClientsToAnIpv4Server(String mode) throws Exception {
    upstream = TestServer.start();
    var address = startAlg("127.0.0.1", "::1", AlgMode.NAT64);
    assertThat(address.getAddress()).isInstanceOf(Inet6Address.class);
    // over IPv6 Commons Net uses EPSV in passive mode and EPRT in active mode
    client = connect(new FTPClient(), address, mode.equals("epsv") ? "epsv" : "active");
    transfersBothWaysAndLists();
  }

  @Test
  void anAlgOnTheApplicationsLoopsStopsWithoutBlockingAndLeavesTheLoopsRunning() throws Exception {
    upstream = TestServer.start();
    var loops = LoopResources.create("app-loops", 1, 2, true);
    try {
      var running = FtpAlg.create()
          .listener(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", upstream.port()),
              AlgMode.SPSV_GATEWAY)
          .option(AlgOptions.MAPPING_TIMEOUT, Duration.ofSeconds(10))
          .runOn(loops)
          .bindNow(WAIT);
      alg = running;
      assertThat(running.configuration().get(AlgOptions.MAPPING_TIMEOUT)).hasSeconds(10);
      client = connect(new FTPClient(), running.addresses().get(0), "pasv");
      transfersBothWaysAndLists();
      client.disconnect();

      long started = System.nanoTime();
      running.dispose();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
      running.onDispose().block(WAIT);
      assertThat(running.isDisposed()).isTrue();
      assertThat(loops.onServer(true).isShutdown()).as("the application's loops are the application's").isFalse();
      assertThatThrownBy(() -> FtpAlg.create().bindNow(WAIT)).hasMessageContaining("needs a listener");
    } finally {
      loops.disposeLater().block(WAIT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pasv", "epsv", "port", "eprt"})
  void nat46CarriesIpv4ClientsToAnIpv6Server(String mode) throws Exception {
    upstream = TestServer.start("::1", s -> s);
    var address = startAlg("::1", "127.0.0.1", AlgMode.NAT46);
    client = connect(mode.equals("eprt") ? new EprtClient() : new FTPClient(), address, mode);
    transfersBothWaysAndLists();
  }

  @Test
  void metersCountSessionsTranslationsAndRelayedBytes() throws Exception {
    upstream = TestServer.start();
    var registry = new SimpleMeterRegistry();
    var listener = new AlgListener(new InetSocketAddress("::1", 0), new InetSocketAddress("127.0.0.1", upstream.port()),
        AlgMode.NAT64);
    alg = FtpAlg.from(AlgConfig.of(List.of(listener)).withMetrics(new MicrometerAlgMetricsRecorder(registry))).bind().block(WAIT);
    var file = upstream.randomFile("m.bin", 500_000);
    client = connect(new FTPClient(), alg.addresses().get(0), "epsv");
    var out = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("m.bin", out)).isTrue();
    assertThat(client.sendCommand("EPSV", "1")).isEqualTo(522);
    assertThat(registry.get(AlgMeters.SESSIONS_ACTIVE.meterName()).gauge().value()).isEqualTo(1.0);
    assertThat(registry.get(AlgMeters.SESSIONS_OPENED.meterName()).tag("mode", "nat64").counter().count()).isEqualTo(1.0);
    assertThat(registry.get(AlgMeters.TRANSLATIONS.meterName()).tag("kind", "epsv-to-pasv").counter().count()).isEqualTo(1.0);
    assertThat(registry.get(AlgMeters.RELAYED.meterName()).tag("method", "splice").counter().count())
        .isEqualTo((double) Files.size(file));
    client.logout();
    client.disconnect();
    for (int i = 0; i < 50 && registry.get(AlgMeters.SESSIONS_ACTIVE.meterName()).gauge().value() > 0; i++) {
      Thread.sleep(20);
    }
    assertThat(registry.get(AlgMeters.SESSIONS_ACTIVE.meterName()).gauge().value()).isZero();
  }

  @Test
  void nat46AnswersPasvWithItsOwnIpv4Address() throws Exception {
    upstream = TestServer.start("::1", s -> s);
    var address = startAlg("::1", "127.0.0.1", AlgMode.NAT46);
    try (var raw = new RawControl(address.getHostString(), address.getPort())) {
      raw.expect(220);
      raw.send("USER " + TestServer.USER).expect(331);
      raw.send("PASS " + TestServer.PASSWORD).expect(230);
      assertThat(raw.send("PASV").expect(227).text()).contains("(127,0,0,1,");
      assertThat(raw.send("EPSV 1").expect(229).text()).matches(".*\\(\\|\\|\\|\\d+\\|\\).*");
      // the bounce attack is refused, and the session goes on
      assertThat(raw.send("PORT 10,1,2,3,200,1").expect(500).text()).contains("Illegal PORT");
      raw.send("PORT 127,0,0,1,0,21").expect(500);
      raw.send("NOOP").expect(200);
    }
  }

  @Test
  void aDataConnectionFromAnotherAddressIsClosedAndTheClientStillGetsItsData() throws Exception {
    upstream = TestServer.start("::1", s -> s);
    var address = startAlg("::1", "127.0.0.1", AlgMode.NAT46);
    var file = upstream.randomFile("t.bin", 100_000);
    client = connect(new FTPClient(), address, "pasv");
    assertThat(client.sendCommand("PASV")).isEqualTo(227);
    int port = AddressFormats.parseHostPort(client.getReplyString()).orElseThrow().getPort();
    // a thief on another address (127.0.0.2 is loopback too) connects first: closed at once
    try (var thief = new Socket()) {
      thief.bind(new InetSocketAddress("127.0.0.2", 0));
      thief.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      thief.setSoTimeout(5000);
      assertThat(thief.getInputStream().read()).isEqualTo(-1);
    }
    // the client's own connection to the same mapping still gets the file
    try (var data = new Socket("127.0.0.1", port)) {
      assertThat(client.sendCommand("RETR", "t.bin")).isEqualTo(150);
      byte[] got = data.getInputStream().readAllBytes();
      assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(file));
    }
    assertThat(client.getReply()).isEqualTo(226);
  }

  @Test
  void nat64FollowsRfc6384ForEpsvArgumentsAndAlgs() throws Exception {
    upstream = TestServer.start();
    var address = startAlg("127.0.0.1", "::1", AlgMode.NAT64);
    try (var raw = new RawControl("::1", address.getPort())) {
      raw.expect(220);
      raw.send("USER " + TestServer.USER).expect(331);
      raw.send("PASS " + TestServer.PASSWORD).expect(230);
      raw.send("EPSV 1").expect(522);
      raw.send("EPSV ALL").expect(504);
      assertThat(raw.send("EPSV").expect(229).text()).matches(".*\\(\\|\\|\\|\\d+\\|\\).*");
      assertThat(raw.send("ALGS STATUS64").expect(216).text()).startsWith("EPSVEPRT");
      assertThat(raw.send("ALGS DISABLE64").expect(216).text()).startsWith("NONE");
      // untranslated, the server's own answer comes through: Keyhole accepts EPSV 1 on IPv4
      raw.send("EPSV 1").expect(229);
      assertThat(raw.send("ALGS ENABLE64").expect(216).text()).startsWith("EPSVEPRT");
      raw.send("ALGS SOMETHING").expect(504);
      raw.send("PWD").expect(257);
      // commands nobody translates pass as they are, multi-line replies included
      var feat = raw.send("FEAT").expect(211);
      assertThat(feat.lines()).contains(" EPSV", " SIZE", " REST STREAM");
    }
  }

  @Test
  void spsvGatewayPutsALegacyServerBehindOnePort() throws Exception {
    upstream = TestServer.start(s -> s.dataChannels(EnumSet.of(DataChannelKind.EPSV, DataChannelKind.PASV)));
    var address = startAlg("127.0.0.1", "127.0.0.1", AlgMode.SPSV_GATEWAY);
    var file = upstream.randomFile("big.bin", 2_345_678);
    var ftp = FtpClient.connect(address, Duration.ofSeconds(10)).block(WAIT);
    try {
      ftp.login(TestServer.USER, TestServer.PASSWORD).block(WAIT);
      assertThat(ftp.features()).contains("SPSV");
      var got = local.resolve("big.bin");
      assertThat(ftp.download("/big.bin", got, DataChannelKind.SPSV, n -> { }).block(WAIT)).isEqualTo(2_345_678L);
      assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(file));
      assertThat(ftp.upload(got, "/back.bin", DataChannelKind.SPSV, n -> { }).block(WAIT)).isEqualTo(2_345_678L);
      assertThat(TestServer.sha256(upstream.root().resolve("back.bin"))).isEqualTo(TestServer.sha256(file));
      assertThat(ftp.list("/", DataChannelKind.SPSV).block(WAIT)).contains("big.bin", "back.bin");
    } finally {
      ftp.quit().block(WAIT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pasv", "epsv", "port", "eprt"})
  void spsvAdapterLetsLegacyClientsUseASinglePortServer(String mode) throws Exception {
    upstream = TestServer.start(s -> s.singlePort());
    var address = startAlg("127.0.0.1", "127.0.0.1", AlgMode.SPSV_ADAPTER);
    client = connect(mode.equals("eprt") ? new EprtClient() : new FTPClient(), address, mode);
    transfersBothWaysAndLists();
    assertThat(client.features()).isTrue();
    assertThat(client.getReplyStrings()).contains(" EPSV", " EPRT");
  }

  @Test
  void aFullGatewayStillTakesSpdtConnectionsAndRefusesTheRest() throws Exception {
    upstream = TestServer.start();
    var listener = new AlgListener(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", upstream.port()),
        AlgMode.SPSV_GATEWAY);
    alg = FtpAlg.from(AlgConfig.of(List.of(listener)).with(AlgOptions.MAX_SESSIONS, 1)).bind().block(WAIT);
    var address = alg.addresses().get(0);
    var file = upstream.randomFile("f.bin", 300_000);
    var ftp = FtpClient.connect(address, Duration.ofSeconds(10)).block(WAIT);
    try {
      ftp.login(TestServer.USER, TestServer.PASSWORD).block(WAIT);
      // no identifier pending: a second control connection is refused
      try (var raw = new RawControl(address.getHostString(), address.getPort())) {
        raw.expect(421);
      }
      // the SPDT connection of the one session is greeted for SPDT only, and serves
      var got = local.resolve("f.bin");
      ftp.download("/f.bin", got, DataChannelKind.SPSV, n -> { }).block(WAIT);
      assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(file));
    } finally {
      ftp.quit().block(WAIT);
    }
  }

  @Test
  void spsvGatewayRefusesAnUnknownIdentifierAndCloses() throws Exception {
    upstream = TestServer.start();
    var address = startAlg("127.0.0.1", "127.0.0.1", AlgMode.SPSV_GATEWAY);
    try (var raw = new RawControl(address.getHostString(), address.getPort())) {
      raw.expect(220);
      raw.send("SPDT AAAAAAAABBBBBBBBBBBBBBBBBBBBBB").expect(504);
      assertThat(raw.closedByServer()).isTrue();
    }
    for (int i = 0; i < 50 && alg.openSessions() > 0; i++) {
      Thread.sleep(20);
    }
    assertThat(alg.openSessions()).isZero();
  }

  @Test
  void afterAuthTheSessionIsCopiedByteForByte() throws Exception {
    upstream = TestServer.startTls(t -> t);
    var address = startAlg("127.0.0.1", "::1", AlgMode.NAT64);
    var ftps = new FTPSClient("TLS", false);
    ftps.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
    ftps.setConnectTimeout(5000);
    ftps.setDefaultTimeout(10_000);
    ftps.connect(address.getAddress(), address.getPort());
    try {
      // the TLS handshake went through the ALG untouched; so do the encrypted commands
      assertThat(ftps.login(TestServer.USER, TestServer.PASSWORD)).as(ftps.getReplyString()).isTrue();
      assertThat(ftps.printWorkingDirectory()).isEqualTo("/");
      assertThat(ftps.sendCommand("ALGS", "STATUS64")).isEqualTo(502); // not intercepted any more: the server's answer
    } finally {
      ftps.disconnect();
    }
  }

  @Test
  void unreadablePassiveRepliesBecome425AndOddOnesAreRead() throws Exception {
    try (var scripted = ScriptedServer.start(Map.of("PASV", List.of(
        "227 Entering Passive Mode, but no address\r\n",
        "227-Entering Passive Mode\r\n227 =127,0,0,1,39,16\r\n",
        "227 Entering Passive Mode 127,0,0,1,39,17\r\n")))) {
      var listener = new AlgListener(new InetSocketAddress("::1", 0),
          new InetSocketAddress("127.0.0.1", scripted.port()), AlgMode.NAT64);
      alg = FtpAlg.from(AlgConfig.of(List.of(listener))).bind().block(WAIT);
      try (var raw = new RawControl("::1", alg.addresses().get(0).getPort())) {
        raw.expect(220);
        raw.send("USER x").expect(331);
        raw.send("PASS y").expect(230);
        raw.send("EPSV").expect(425);
        assertThat(raw.send("EPSV").expect(229).text()).matches(".*\\(\\|\\|\\|\\d+\\|\\).*");
        assertThat(raw.send("EPSV 2").expect(229).text()).matches(".*\\(\\|\\|\\|\\d+\\|\\).*");
        raw.send("NOOP").expect(200);
      }
    }
  }

  @Test
  void anUnreachableServerIsA421() throws Exception {
    upstream = TestServer.start();
    int port = upstream.port();
    upstream.close();
    upstream = null;
    var listener = new AlgListener(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", port), AlgMode.NAT46);
    alg = FtpAlg.from(AlgConfig.of(List.of(listener))).bind().block(WAIT);
    try (var raw = new RawControl("127.0.0.1", alg.addresses().get(0).getPort())) {
      assertThat(raw.expect(421).text()).contains("cannot be reached");
    }
  }
}
