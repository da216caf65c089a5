package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.netty.ChannelBindException;

/**
 * The control port is served by one listening socket per event loop (SO_REUSEPORT, with epoll),
 * and still behaves as one listener: every connection is served, a port that anything else holds
 * fails the bind as before (no second server sharing it without a word), and stopping closes every
 * socket.
 */
class ListenerSocketsTest {

  /** The default server has two event loops at least: one listening socket for each. */
  @Test
  void oneListeningSocketPerEventLoopAndEveryConnectionServed() throws Exception {
    assumeTrue(Epoll.isAvailable());
    try (var server = TestServer.start()) {
      assertThat(listening(server.port())).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
      // forty sessions open at once, spread by the kernel over the sockets: each greeted, logged in and answered
      var sessions = new ArrayList<RawControl>();
      try {
        for (int i = 0; i < 40; i++) {
          var c = RawControl.login(server);
          sessions.add(c);
          c.send("NOOP").expect(200);
        }
      } finally {
        for (var c : sessions) {
          c.close();
        }
      }
    }
  }

  @Test
  void aPortHeldByAnotherServerFailsTheBind() throws Exception {
    try (var server = TestServer.start()) {
      // a second Keyhole on the same port: refused, not sharing it through SO_REUSEPORT
      assertThatThrownBy(() -> bindOn(server.port()))
          .hasRootCauseMessage("Address already in use")
          .isInstanceOf(ChannelBindException.class);
      try (var c = RawControl.login(server)) {
        c.send("NOOP").expect(200);
      }
    }
    try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> bindOn(taken.getLocalPort())).isInstanceOf(ChannelBindException.class);
    }
  }

  @Test
  void aFixedPortIsBoundOnEverySocketAndClosedOnStop() throws Exception {
    int port;
    try (var free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort();
    }
    try (var server = TestServer.start(s -> s.bindAddress("127.0.0.1", port)); var c = RawControl.login(server)) {
      assertThat(server.port()).isEqualTo(port);
      c.send("NOOP").expect(200);
    }
    assertThat(listening(port)).isZero();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void portZeroGivesEachServerAPortOfItsOwn() throws Exception {
    try (var a = TestServer.start(); var b = TestServer.start()) {
      assertThat(a.port()).isNotEqualTo(b.port());
      if (Epoll.isAvailable()) {
        assertThat(listening(a.port())).isEqualTo(listening(b.port())).isGreaterThan(1);
      }
    }
  }

  private static TestServer bindOn(int port) {
    return TestServer.start(s -> s.bindAddress("127.0.0.1", port));
  }

  /** Sockets in LISTEN state on {@code port} that this process holds, from /proc (Linux). */
  static long listening(int port) throws IOException {
    var ports = SinglePortLoadTest.listeningPorts(SinglePortLoadTest.listeningInodesOfThisProcess());
    return ports.stream().filter(p -> p == port).count();
  }
}
