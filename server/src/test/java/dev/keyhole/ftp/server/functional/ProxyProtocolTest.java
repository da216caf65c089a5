package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.ProbeClient;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.SpdtClient;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.Cidr;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.ServerOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol (v1 and v2) behind a balancer: the client address the header names is the
 * session's for logs, events, bans and the SPDT address check; only trusted proxies may send one,
 * anyone else is closed before a greeting; a malformed header closes the connection.
 */
class ProxyProtocolTest {

  private TestServer server;
  private final List<FtpEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    server = TestServer.start(s -> s.option(ServerOptions.PROXY_PROTOCOL, true)
        .option(ServerOptions.TRUSTED_PROXIES, List.of(Cidr.parse("127.0.0.1/32")))
        .option(ServerOptions.BAN_AFTER, 2));
    server.server().events().subscribe(events::add);
  }

  /** A data connection through the "balancer": the header, the greeting, SPDT; the first reply line. */
  static Socket spdtVia(TestServer server, byte[] header, String identifier, StringBuilder reply) throws IOException {
    var socket = new Socket();
    socket.connect(new InetSocketAddress(server.host(), server.port()), 5000);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(header);
    assertThat(SpdtClient.readLine(socket.getInputStream())).startsWith("220");
    socket.getOutputStream().write(("SPDT " + identifier + "\r\n").getBytes(StandardCharsets.US_ASCII));
    reply.append(SpdtClient.readLine(socket.getInputStream()));
    return socket;
  }

  static byte[] v1(String client, int port) {
    return ("PROXY TCP4 " + client + " 127.0.0.1 " + port + " 21\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] v2(String client, int port) {
    boolean v6 = client.contains(":");
    var header = new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
        v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4, client, v6 ? "::1" : "127.0.0.1", port, 21);
    var channel = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
    channel.writeOutbound(header);
    ByteBuf out = channel.readOutbound();
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
      channel.finishAndReleaseAll();
    }
  }

  private RawControl proxied(byte[] header) throws IOException {
    var c = new RawControl(server.host(), server.port());
    c.sendBytes(header);
    return c;
  }

  private InetSocketAddress openedFrom() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      for (var e : events) {
        if (e instanceof FtpEvent.SessionOpened opened) {
          return opened.remote();
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no session opened");
  }

  /** The connection ended without a reply: an end of stream, or a reset (the header was left unread). */
  private static boolean closedWithoutReply(RawControl c) throws IOException {
    try {
      return c.reply() == null;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Test
  void aV1HeaderGivesTheSessionTheClientsAddress() throws Exception {
    start();
    try (var c = proxied(v1("192.0.2.7", 40001))) {
      c.expect(220);
      c.send("USER " + TestServer.USER).expect(331);
      c.send("PASS " + TestServer.PASSWORD).expect(230);
      assertThat(openedFrom()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 40001));
    }
  }

  @Test
  void aV2HeaderGivesTheSessionTheClientsAddressIpv6Too() throws Exception {
    start();
    try (var c = proxied(v2("2001:db8::5", 40002))) {
      c.expect(220);
      assertThat(openedFrom()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 40002));
    }
  }

  @Test
  void aConnectionFromAnUntrustedAddressIsClosedWithoutAGreeting() throws Exception {
    start();
    try (var c = new RawControl("127.0.0.2", server.host(), server.port())) {
      c.sendBytes(v1("192.0.2.7", 40001));
      assertThat(closedWithoutReply(c)).isTrue();
    }
    // a trusted one right after is served
    try (var c = proxied(v1("192.0.2.8", 40001))) {
      c.expect(220);
    }
  }

  @Test
  void aMalformedHeaderOrNoneClosesTheConnection() throws Exception {
    start();
    try (var c = proxied("PROXY TCP4 nonsense\r\n".getBytes(StandardCharsets.US_ASCII))) {
      assertThat(closedWithoutReply(c)).isTrue();
    }
    // a client that speaks FTP to a PROXY listener: its USER is no header
    try (var c = proxied("USER anonymous\r\n".getBytes(StandardCharsets.US_ASCII))) {
      assertThat(closedWithoutReply(c)).isTrue();
    }
    try (var c = proxied(v2("192.0.2.9", 40009))) {
      c.expect(220);
    }
  }

  @Test
  void bansHitTheClientNamedInTheHeaderNotTheBalancer() throws Exception {
    start();
    for (int i = 0; i < 2; i++) {
      try (var c = proxied(v1("192.0.2.66", 40000 + i))) {
        c.expect(220);
        c.send("USER " + TestServer.USER).expect(331);
        c.send("PASS wrong").expect(530);
      }
    }
    try (var c = proxied(v1("192.0.2.66", 40010))) {
      assertThat(c.reply().code()).isEqualTo(421);
    }
    // another client behind the same balancer is not banned
    try (var c = proxied(v2("192.0.2.67", 40011))) {
      c.expect(220);
    }
  }

  @Test
  void spdtIsCheckedAgainstTheAddressInTheHeader() throws Exception {
    start();
    var file = server.randomFile("f.bin", 100_000);
    try (var control = proxied(v1("192.0.2.10", 40020))) {
      control.expect(220);
      control.send("USER " + TestServer.USER).expect(331);
      control.send("PASS " + TestServer.PASSWORD).expect(230);
      control.send("TYPE I").expect(200);
      String id = SpdtClient.identifier(control);
      // from another client behind the same balancer: refused
      var reply = new StringBuilder();
      try (var other = spdtVia(server, v1("192.0.2.11", 40021), id, reply)) {
        assertThat(reply.toString()).startsWith("504");
      }
      id = SpdtClient.identifier(control);
      reply.setLength(0);
      try (var data = spdtVia(server, v2("192.0.2.10", 40022), id, reply)) {
        assertThat(reply.toString()).isEqualTo("200 DATA");
        control.send("RETR f.bin").expect(150);
        byte[] got = data.getInputStream().readAllBytes();
        control.expect(226);
        assertThat(TestServer.sha256(got)).isEqualTo(TestServer.sha256(file));
      }
    }
  }

  @Test
  void onAnImplicitFtpsPortTheHeaderComesBeforeTls() throws Exception {
    server = TestServer.startTls(t -> t, s -> s.option(ServerOptions.PROXY_PROTOCOL, true)
        .option(ServerOptions.TRUSTED_PROXIES, List.of(Cidr.parse("127.0.0.1"))));
    server.server().events().subscribe(events::add);
    try (var plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", server.implicitTlsPort()), 5000);
      plain.setSoTimeout(10_000);
      plain.getOutputStream().write(v2("198.51.100.4", 40100));
      try (var tls = (javax.net.ssl.SSLSocket) ProbeClient.trustingContext().getSocketFactory()
          .createSocket(plain, "127.0.0.1", server.implicitTlsPort(), false)) {
        tls.startHandshake();
        assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("220");
        tls.getOutputStream().write(("USER " + TestServer.USER + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("331");
      }
    }
    assertThat(openedFrom()).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.51.100.4"), 40100));
  }

  /**
   * A balancer often sends the header and the client's first bytes in one segment; on an
   * implicit-FTPS port those are the TLS hello, which must reach the TLS handler installed for the
   * client, not be lost behind it (the handshake then hung until the client gave up).
   */
  @Test
  void onAnImplicitFtpsPortTheHelloMayArriveWithTheHeader() throws Exception {
    server = TestServer.startTls(t -> t, s -> s.option(ServerOptions.PROXY_PROTOCOL, true)
        .option(ServerOptions.TRUSTED_PROXIES, List.of(Cidr.parse("127.0.0.1"))));
    server.server().events().subscribe(events::add);
    for (int i = 0; i < 5; i++) {
      try (var plain = new HeaderFirstSocket(v2("198.51.100." + (10 + i), 40200 + i))) {
        plain.connect(new InetSocketAddress("127.0.0.1", server.implicitTlsPort()), 5000);
        plain.setSoTimeout(10_000);
        try (var tls = (javax.net.ssl.SSLSocket) ProbeClient.trustingContext().getSocketFactory()
            .createSocket(plain, "127.0.0.1", server.implicitTlsPort(), false)) {
          tls.startHandshake();
          assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("220");
          tls.getOutputStream().write(("USER " + TestServer.USER + "\r\n").getBytes(StandardCharsets.US_ASCII));
          assertThat(SpdtClient.readLine(tls.getInputStream())).startsWith("331");
        }
      }
    }
    assertThat(openedFrom()).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.51.100.10"), 40200));
  }

  /** A socket that sends {@code header} in the same write as the first bytes written to it. */
  private static final class HeaderFirstSocket extends Socket {
    private final byte[] header;
    private OutputStream out;

    HeaderFirstSocket(byte[] header) {
      this.header = header;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        var raw = super.getOutputStream();
        out = new FilterOutputStream(raw) {
          private boolean sent;

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (sent) {
              raw.write(b, off, len);
              return;
            }
            sent = true;
            var both = Arrays.copyOf(header, header.length + len);
            System.arraycopy(b, off, both, header.length, len);
            raw.write(both);
          }
        };
      }
      return out;
    }
  }

  @Test
  void theProxyProtocolNeedsTrustedProxies() {
    assertThatThrownBy(() -> FtpServer.create().bindAddress("127.0.0.1", 0)
        .option(ServerOptions.PROXY_PROTOCOL, true).bindNow())
        .hasMessageContaining("--trusted-proxies");
  }

  @Test
  void cidrBlocksHoldTheirAddresses() throws Exception {
    assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.3.4"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(Cidr.parse("127.0.0.1").contains(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
    assertThat(Cidr.parse("fd00::/8").contains(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(Cidr.parse("fd00::/8").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    assertThat(Cidr.parse("192.168.1.77/24")).hasToString("192.168.1.0/24");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Cidr.parse("example.com")).hasMessageContaining("not an IP address");
  }
}
