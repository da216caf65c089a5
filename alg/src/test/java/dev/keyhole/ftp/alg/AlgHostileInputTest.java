package dev.keyhole.ftp.alg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.transport.PortRange;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a client or a server can do to the ALG on purpose: SPSV through modes that do not
 * translate it, PORT/EPRT naming a third party (FTP bounce, RFC 2577), reply lines forged through
 * file names, and passive replies naming privileged ports.
 */
class AlgHostileInputTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private TestServer upstream;
  private DisposableAlg alg;

  @AfterEach
  void stop() throws IOException {
    if (alg != null) {
      alg.disposeNow(Duration.ofSeconds(5));
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private InetSocketAddress startAlg(String listenHost, InetSocketAddress upstreamAddress, AlgMode mode) {
    var listener = new AlgListener(new InetSocketAddress(listenHost, 0), upstreamAddress, mode);
    alg = FtpAlg.from(AlgConfig.of(List.of(listener))).bind().block(WAIT);
    return alg.addresses().get(0);
  }

  private static RawControl login(InetSocketAddress address) throws IOException {
    var raw = new RawControl(address.getAddress().getHostAddress(), address.getPort());
    raw.expect(220);
    raw.send("USER " + TestServer.USER).expect(331);
    raw.send("PASS " + TestServer.PASSWORD).expect(230);
    return raw;
  }

  @ParameterizedTest
  @EnumSource(value = AlgMode.class, names = {"NAT46", "NAT64"})
  void natModesNeitherOfferNorPassSpsv(AlgMode mode) throws Exception {
    String serverHost = mode == AlgMode.NAT46 ? "::1" : "127.0.0.1";
    upstream = TestServer.start(serverHost, s -> s);
    var address = startAlg(mode == AlgMode.NAT64 ? "::1" : "127.0.0.1",
        new InetSocketAddress(serverHost, upstream.port()), mode);
    try (var raw = login(address)) {
      FtpReply feat = raw.send("FEAT").expect(211);
      assertThat(feat.lines()).noneMatch(l -> l.trim().toUpperCase(Locale.ROOT).startsWith("SPSV"));
      assertThat(feat.lines()).anyMatch(l -> l.trim().equals("EPSV"));
      raw.send("SPSV").expect(502);
      raw.send("NOOP").expect(200);
    }
    // an SPDT connection is not taken for a control session whose data would be read as commands
    try (var raw = new RawControl(address.getAddress().getHostAddress(), address.getPort())) {
      raw.expect(220);
      raw.send("SPDT abcdef").expect(502);
    }
  }

  @Test
  void nat64RefusesPortAndUntranslatedEprtToAThirdParty() throws Exception {
    upstream = TestServer.start();
    var address = startAlg("::1", new InetSocketAddress("127.0.0.1", upstream.port()), AlgMode.NAT64);
    try (var victim = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1")); var raw = login(address)) {
      victim.setSoTimeout(300);
      int p = victim.getLocalPort();
      upstream.randomFile("secret.bin", 1000);
      raw.send("PORT 127,0,0,1," + (p >> 8) + "," + (p & 0xff)).expect(500);
      raw.send("RETR secret.bin").expect(425);
      raw.send("ALGS DISABLE64").expect(216);
      raw.send("EPRT |1|127.0.0.1|" + p + "|").expect(500);
      raw.send("EPRT |2|::1|80|").expect(500);
      raw.send("RETR secret.bin").expect(425);
      assertThat(connected(victim)).as("the third party was connected to").isFalse();
      raw.send("NOOP").expect(200);
    }
  }

  @Test
  void gatewayRefusesActiveAddressesOtherThanTheClients() throws Exception {
    upstream = TestServer.start();
    var address = startAlg("127.0.0.1", new InetSocketAddress("127.0.0.1", upstream.port()), AlgMode.SPSV_GATEWAY);
    try (var victim = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        var socket = new Socket()) {
      victim.setSoTimeout(300);
      // the client comes from 127.0.0.2: 127.0.0.1 is a third party to it
      socket.bind(new InetSocketAddress("127.0.0.2", 0));
      socket.connect(address, 5000);
      socket.setSoTimeout(10_000);
      var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      Function<String, String> send = line -> {
        try {
          socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
          return in.readLine();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      assertThat(in.readLine()).startsWith("220");
      assertThat(send.apply("USER " + TestServer.USER)).startsWith("331");
      assertThat(send.apply("PASS " + TestServer.PASSWORD)).startsWith("230");
      int p = victim.getLocalPort();
      assertThat(send.apply("PORT 127,0,0,1," + (p >> 8) + "," + (p & 0xff))).startsWith("500");
      assertThat(send.apply("EPRT |1|127.0.0.1|" + p + "|")).startsWith("500");
      assertThat(send.apply("EPRT |1|127.0.0.2|1023|")).startsWith("500");
      assertThat(connected(victim)).isFalse();
    }
  }

  @Test
  void gatewayRelaysEpsvThroughItsOwnPorts() throws Exception {
    int from;
    try (var s = new ServerSocket(0)) {
      from = Math.min(s.getLocalPort(), 65000);
    }
    var range = new PortRange(from, from + 9);
    upstream = TestServer.start(s -> s.option(ServerOptions.PASSIVE_PORTS, range));
    var address = startAlg("127.0.0.1", new InetSocketAddress("127.0.0.1", upstream.port()), AlgMode.SPSV_GATEWAY);
    var file = upstream.randomFile("f.bin", 70_000);
    try (var raw = login(address)) {
      raw.send("TYPE I").expect(200);
      String text = raw.send("EPSV").expect(229).text();
      int port = Integer.parseInt(text.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
      assertThat(port).as("a port of the gateway, not the server's range").isNotIn(java.util.stream.IntStream.rangeClosed(range.from(), range.to()).boxed().toList());
      try (var data = new Socket("127.0.0.1", port)) {
        raw.send("RETR f.bin").expect(150);
        assertThat(TestServer.sha256(data.getInputStream().readAllBytes())).isEqualTo(TestServer.sha256(file));
      }
      raw.expect(226);
    }
  }

  @Test
  void replyLinesForgedThroughAFileNameAreNeverTakenForTheNextReply() throws Exception {
    try (var serverData = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        var forgedTarget = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      forgedTarget.setSoTimeout(300);
      int real = serverData.getLocalPort();
      int forged = forgedTarget.getLocalPort();
      // a server that does not escape CR LF in names: a STAT listing carries a forged end and a forged 227
      String stat = "213-Status of x:\r\n x\r\n213 End of status\r\n227 Entering Passive Mode (127,0,0,1,"
          + (forged >> 8) + "," + (forged & 0xff) + ")\r\n213 End of status\r\n";
      String pasv = "227 Entering Passive Mode (127,0,0,1," + (real >> 8) + "," + (real & 0xff) + ")\r\n";
      try (var scripted = ScriptedServer.start(Map.of("STAT", List.of(stat), "PASV", List.of(pasv)))) {
        var address = startAlg("::1", new InetSocketAddress("127.0.0.1", scripted.port()), AlgMode.NAT64);
        try (var raw = login(address)) {
          // pipelined: EPSV is on its way before the STAT reply arrives
          raw.sendBytes("STAT x\r\nEPSV\r\n".getBytes(StandardCharsets.US_ASCII));
          raw.expect(213);
          String epsv = raw.expect(229).text();
          int port = Integer.parseInt(epsv.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
          try (var data = new Socket("::1", port)) {
            serverData.setSoTimeout(5000);
            try (var accepted = serverData.accept()) {
              assertThat(accepted).as("the relay goes to the port the server really gave").isNotNull();
            }
          }
          assertThat(connected(forgedTarget)).as("the forged port was connected to").isFalse();
        }
      }
    }
  }

  @Test
  void passiveRepliesNamingAPrivilegedPortAre425() throws Exception {
    try (var scripted = ScriptedServer.start(Map.of("PASV", List.of("227 Entering Passive Mode (127,0,0,1,0,22)\r\n")))) {
      var address = startAlg("::1", new InetSocketAddress("127.0.0.1", scripted.port()), AlgMode.NAT64);
      try (var raw = login(address)) {
        raw.send("EPSV").expect(425);
        raw.send("NOOP").expect(200);
      }
    }
  }

  private static boolean connected(ServerSocket listener) throws IOException {
    try (var s = listener.accept()) {
      return s != null;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }
}
