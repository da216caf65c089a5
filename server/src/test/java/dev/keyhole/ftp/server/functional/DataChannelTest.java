package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Data-connection rules: who may connect, when, and what happens when nobody does. */
class DataChannelTest {

  @Test
  void passiveConnectionFromAnotherAddressIsClosedAndTheRightOneStillWorks() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("f.bin", 1000);
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      // 127.0.0.2 is another host as far as the server can tell (the whole of 127/8 is loopback)
      try (var intruder = new Socket()) {
        intruder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        intruder.connect(new InetSocketAddress(server.host(), port), 2000);
        intruder.setSoTimeout(2000);
        try {
          assertThat(intruder.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
          // closed with a reset: refused all the same
        }
      }
      try (var data = new Socket(server.host(), port)) {
        c.send("RETR f.bin").expect(150);
        assertThat(data.getInputStream().readAllBytes()).hasSize(1000);
        c.expect(226);
      }
    }
  }

  @Test
  void transferCommandMayComeBeforeTheDataConnection() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("f.bin", 5000);
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      c.send("RETR f.bin");
      Thread.sleep(100);
      try (var data = new Socket(server.host(), port)) {
        c.expect(150);
        assertThat(data.getInputStream().readAllBytes()).hasSize(5000);
        c.expect(226);
      }
    }
  }

  @Test
  void passiveListenerWithoutConnectionTimesOutWith425() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.DATA_CONNECTION_TIMEOUT, Duration.ofMillis(300)));
        var c = RawControl.login(server)) {
      server.randomFile("f.bin", 10);
      c.send("PASV").expect(227);
      c.send("RETR f.bin").expect(425);
      c.send("NOOP").expect(200);
    }
  }

  @Test
  void stalledDownloadIsAbortedWith426AndTheSessionThenTimesOut() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.IDLE_TIMEOUT, Duration.ofMillis(700)).option(ServerOptions.DATA_CONNECTION_TIMEOUT, Duration.ofMillis(700)));
        var c = RawControl.login(server)) {
      server.randomFile("big.bin", 32 * 1024 * 1024);
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      try (var data = new Socket(server.host(), port)) {
        data.setReceiveBufferSize(16 * 1024);
        c.send("RETR big.bin").expect(150);
        // read nothing: the server's socket buffer fills and the transfer stalls
        assertThat(c.expect(426).code()).isEqualTo(426);
        assertThat(c.expect(421).text()).contains("Timeout");
      }
    }
  }

  @Test
  void activeConnectionToAClosedPortIs425() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("f.bin", 10);
      int closedPort;
      try (var s = new ServerSocket(0)) {
        closedPort = s.getLocalPort();
      }
      c.send("EPRT |1|127.0.0.1|" + closedPort + "|").expect(200);
      c.send("RETR f.bin").expect(425);
      c.send("NOOP").expect(200);
    }
  }

  @Test
  void passivePortsComeFromTheConfiguredRange() throws Exception {
    int base;
    try (var s = new ServerSocket(0)) {
      base = s.getLocalPort();
    }
    int from = Math.min(base, 65000);
    try (var server = TestServer.start(s -> s.option(ServerOptions.PASSIVE_PORTS, new dev.keyhole.ftp.transport.PortRange(from, from + 9)));
        var c = RawControl.login(server)) {
      for (int i = 0; i < 5; i++) {
        var reply = c.send("PASV").expect(227);
        int port = AddressFormats.parseHostPort(reply.text()).orElseThrow().getPort();
        assertThat(port).isBetween(from, from + 9);
      }
    }
  }
}
