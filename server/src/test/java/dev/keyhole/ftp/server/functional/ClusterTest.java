package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.client.ClientTls;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.SpdtClient;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ClusterPeer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.SpdtRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Two nodes of a cluster on 127.0.0.11 and 127.0.0.12: a session's SPDT that lands on the node
 * that did not issue the identifier is relayed to the one that did, both ways, byte for byte; a
 * relay cut short is a failed transfer with the old file intact; an unreachable owner is a clean
 * 425; identifiers of unknown nodes are refused, never relayed; and a draining node finishes its
 * transfers, still serves SPDT for its identifiers, and greets new sessions 421.
 */
class ClusterTest {

  private TestServer a;
  private TestServer b;

  @AfterEach
  void stop() throws IOException {
    for (var server : new TestServer[] {a, b}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static int freePort(String host) throws IOException {
    try (var socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    }
  }

  /** Nodes a and b, each given the same list of both. */
  private void startPair() throws IOException {
    int pa = freePort("127.0.0.11");
    int pb = freePort("127.0.0.12");
    var peers = List.of(ClusterPeer.parse("a=127.0.0.11:" + pa), ClusterPeer.parse("b=127.0.0.12:" + pb));
    a = TestServer.start("127.0.0.11", s -> s.bindAddress("127.0.0.11", pa).option(ServerOptions.NODE_ID, "a")
        .option(ServerOptions.CLUSTER_PEERS, peers));
    b = TestServer.start("127.0.0.12", s -> s.bindAddress("127.0.0.12", pb).option(ServerOptions.NODE_ID, "b")
        .option(ServerOptions.CLUSTER_PEERS, peers).metrics(new MicrometerFtpMetricsRecorder(metersOfB)));
  }

  private final SimpleMeterRegistry metersOfB = new SimpleMeterRegistry();

  private double relays(String outcome) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Counter counter = null;
    while (System.nanoTime() < deadline
        && (counter = metersOfB.find("keyhole.spdt.relays").tag("outcome", outcome).counter()) == null) {
      Thread.sleep(10);
    }
    return counter == null ? 0 : counter.count();
  }

  private static RawControl login(TestServer server) throws IOException {
    var c = RawControl.login(server);
    c.send("TYPE I").expect(200);
    return c;
  }

  private static byte[] random(int size, int seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  void anSpdtOnTheOtherNodeIsRelayedToTheOwnerBothWays() throws Exception {
    startPair();
    byte[] up = random(3 << 20, 1);
    try (var log = LogCapture.attachInfo(Class.forName("dev.keyhole.ftp.server.listen.SpdtRelay"));
        var control = login(a)) {
      String id = SpdtClient.identifier(control);
      assertThat(id).hasSize(32).startsWith(SpdtRegistry.nodeTag("a"));
      try (var data = SpdtClient.open(b, id)) {
        control.send("STOR up.bin").expect(150);
        data.getOutputStream().write(up);
        data.shutdownOutput();
        control.expect(226);
      }
      assertThat(TestServer.sha256(a.root().resolve("up.bin"))).isEqualTo(TestServer.sha256(up));
      assertThat(b.root().resolve("up.bin")).doesNotExist();

      id = SpdtClient.identifier(control);
      try (var data = SpdtClient.open(b, id)) {
        control.send("RETR up.bin").expect(150);
        byte[] down = data.getInputStream().readAllBytes();
        control.expect(226);
        assertThat(TestServer.sha256(down)).isEqualTo(TestServer.sha256(up));
      }
      // and a listing, the other way round: a session on b, its data through a
      try (var other = login(b)) {
        Files.writeString(b.root().resolve("only-on-b.txt"), "b");
        String idB = SpdtClient.identifier(other);
        try (var data = SpdtClient.open(a, idB)) {
          other.send("NLST").expect(150);
          String names = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          other.expect(226);
          assertThat(names).contains("only-on-b.txt");
        }
      }
      // the bytes went through the kernel (splice), not through Java buffers
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (log.lines().stream().filter(l -> l.contains("relayed to node")).count() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(log.lines()).filteredOn(l -> l.contains("relayed to node a"))
          .hasSize(2).allMatch(l -> l.contains("(splice)"));
      assertThat(log.lines()).anyMatch(l -> l.contains(up.length + " bytes relayed to node a"));
      // b's meters: two relays for a, complete, with every byte
      assertThat(relays("complete")).isEqualTo(2);
      assertThat(metersOfB.get("keyhole.spdt.relayed").counter().count()).isGreaterThanOrEqualTo(2.0 * up.length);
    }
  }

  @Test
  void protPStartsTlsEndToEndBetweenTheClientAndTheOwnerThroughTheRelay() throws Exception {
    int pa = freePort("127.0.0.11");
    int pb = freePort("127.0.0.12");
    var peers = List.of(ClusterPeer.parse("a=127.0.0.11:" + pa), ClusterPeer.parse("b=127.0.0.12:" + pb));
    a = TestServer.startTls(t -> t, s -> s.bindAddress("127.0.0.11", pa).option(ServerOptions.NODE_ID, "a")
        .option(ServerOptions.CLUSTER_PEERS, peers));
    b = TestServer.startTls(t -> t, s -> s.bindAddress("127.0.0.12", pb).option(ServerOptions.NODE_ID, "b")
        .option(ServerOptions.CLUSTER_PEERS, peers));
    byte[] up = random(1 << 20, 7);
    // the tests' certificate names 127.0.0.1, not 127.0.0.11: what is checked here is the relay
    var tls = Optional.of(ClientTls.insecure(false));
    var wait = Duration.ofSeconds(20);
    try (var log = LogCapture.attachInfo(Class.forName("dev.keyhole.ftp.server.listen.SpdtRelay"))) {
      var client = FtpClient.connect(new InetSocketAddress("127.0.0.11", pa), wait, tls).block(wait)
          .spdtAddress(new InetSocketAddress("127.0.0.12", pb));
      client.login(TestServer.USER, TestServer.PASSWORD).block(wait);
      assertThat(client.protectsData()).isTrue();
      client.upload("tls.bin", DataChannelKind.SPSV, n -> { }, () -> Flux.just(Unpooled.wrappedBuffer(up))).block(wait);
      byte[] back = client.fetch("RETR tls.bin", DataChannelKind.SPSV).block(wait);
      client.quit().block(wait);
      assertThat(TestServer.sha256(back)).isEqualTo(TestServer.sha256(up));
      assertThat(TestServer.sha256(a.root().resolve("tls.bin"))).isEqualTo(TestServer.sha256(up));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (log.lines().stream().filter(l -> l.contains("relayed to node a")).count() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      // the TLS records went through b as they were: more bytes than the file, spliced
      assertThat(log.lines()).filteredOn(l -> l.contains("relayed to node a")).hasSize(2)
          .allMatch(l -> l.contains("(splice)"));
    }
  }

  @Test
  void aRelayCutShortIsAFailedUploadAndThePreviousFileStays() throws Exception {
    startPair();
    byte[] before = random(10_000, 2);
    Files.write(a.root().resolve("keep.bin"), before);
    try (var control = login(a)) {
      String id = SpdtClient.identifier(control);
      var data = SpdtClient.open(b, id);
      control.send("STOR keep.bin").expect(150);
      OutputStream out = data.getOutputStream();
      out.write(random(1 << 20, 3));
      out.flush();
      Thread.sleep(200);
      // the client dies mid-upload: a reset, not an end
      data.setSoLinger(true, 0);
      data.close();
      int code = control.reply().code();
      assertThat(code).isIn(426, 451);
      assertThat(Files.readAllBytes(a.root().resolve("keep.bin"))).isEqualTo(before);
      // the session goes on
      control.send("NOOP").expect(200);
    }
  }

  @Test
  void anUnreachableOwnerIsAClean425AndTheNodeServesOn() throws Exception {
    startPair();
    a.close();
    String forA = SpdtRegistry.nodeTag("a") + "A".repeat(28);
    try (var socket = new Socket("127.0.0.12", b.port())) {
      socket.setSoTimeout(10_000);
      assertThat(SpdtClient.readLine(socket.getInputStream())).startsWith("220");
      socket.getOutputStream().write(("SPDT " + forA + "\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(SpdtClient.readLine(socket.getInputStream())).startsWith("425");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(relays("unreachable")).isEqualTo(1);
    a = null;
    try (var control = login(b)) {
      control.send("PWD").expect(257);
    }
  }

  @Test
  void identifiersOfNodesNotInTheListAreRefusedNotRelayed() throws Exception {
    startPair();
    for (String node : List.of("zz", "b")) {
      String id = SpdtRegistry.nodeTag(node) + "B".repeat(28);
      try (var socket = new Socket("127.0.0.12", b.port())) {
        socket.setSoTimeout(10_000);
        assertThat(SpdtClient.readLine(socket.getInputStream())).startsWith("220");
        socket.getOutputStream().write(("SPDT " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(SpdtClient.readLine(socket.getInputStream())).startsWith("504");
      }
    }
    // a server outside the cluster does not relay a's identifiers either
    try (var alone = TestServer.start(); var control = login(a)) {
      String id = SpdtClient.identifier(control);
      try (var socket = new Socket(alone.host(), alone.port())) {
        socket.setSoTimeout(10_000);
        assertThat(SpdtClient.readLine(socket.getInputStream())).startsWith("220");
        socket.getOutputStream().write(("SPDT " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(SpdtClient.readLine(socket.getInputStream())).startsWith("504");
      }
    }
  }

  @Test
  void clusterSettingsThatCannotWorkAreRefused() {
    var peers = List.of(ClusterPeer.parse("a=127.0.0.11:2121"));
    assertThatThrownBy(() -> FtpServer.create().bindAddress("127.0.0.1", 0)
        .option(ServerOptions.CLUSTER_PEERS, peers).bindNow()).hasMessageContaining("--node-id");
    assertThatThrownBy(() -> ClusterPeer.parse("a=fd00::1:21")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> ClusterPeer.parse("a b=h:21")).hasMessageContaining("node id");
    assertThat(ClusterPeer.parse("n-1=[fd00::1]:2121")).isEqualTo(new ClusterPeer("n-1", "fd00::1", 2121));
  }

  @Test
  void aDrainingNodeFinishesItsTransfersAndServesItsIdentifiersButNoNewSessions() throws Exception {
    a = TestServer.start(s -> s.option(ServerOptions.DOWNLOAD_RATE, 1L << 20));
    byte[] file = random(2 << 20, 4);
    Files.write(a.root().resolve("slow.bin"), file);
    try (var running = login(a); var waiting = login(a)) {
      String id = SpdtClient.identifier(running);
      var data = SpdtClient.open(a, id);
      running.send("RETR slow.bin").expect(150);
      var download = CompletableFuture.supplyAsync(() -> {
        try (data) {
          return data.getInputStream().readAllBytes();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      String pending = SpdtClient.identifier(waiting);
      long start = System.nanoTime();
      var drained = CompletableFuture.runAsync(() -> a.server().drainNow(Duration.ofSeconds(20)));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!a.server().isDraining() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(a.server().isDraining()).isTrue();
      // a new session is not served (an identifier is pending, so the greeting is for SPDT only)
      try (var late = RawControl.connect(a)) {
        late.expect(220);
        late.send("USER " + TestServer.USER).expect(421);
      }
      // the pending identifier still binds, and its transfer runs
      try (var second = SpdtClient.open(a, pending)) {
        waiting.send("RETR slow.bin").expect(150);
        assertThat(TestServer.sha256(second.getInputStream().readAllBytes())).isEqualTo(TestServer.sha256(file));
        waiting.expect(226);
        assertThat(waiting.reply().code()).isEqualTo(421);
      }
      // the running download arrives whole, then its session is closed
      assertThat(TestServer.sha256(download.get())).isEqualTo(TestServer.sha256(file));
      running.expect(226);
      assertThat(running.reply().code()).isEqualTo(421);
      drained.get();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }
  }

  @Test
  void drainingClosesAnIdleSessionAtOnceAndStops() throws Exception {
    a = TestServer.start();
    try (var idle = login(a)) {
      var drained = CompletableFuture.runAsync(() -> a.server().drainNow(Duration.ofSeconds(5)));
      // the idle session is closed at once
      assertThat(idle.reply().code()).isEqualTo(421);
      drained.get();
    }
    assertThat(a.server().isDisposed()).isTrue();
  }
}
