package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.ExternalTool;
import dev.keyhole.ftp.transport.DataChannelKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * Three {@code keyhole serve} processes on 127.0.0.11-13, one cluster sharing one data root,
 * behind HAProxy (Debian's {@code haproxy}, started here with its own configuration: TCP mode,
 * {@code balance roundrobin}, {@code send-proxy-v2}, health checks on {@code /health}). Clients
 * connect from many loopback addresses through the balancer and move files over SPSV, their
 * SPDT connections landing on whichever node the balancer picks: most on a node that did not
 * issue the identifier, which relays them to the one that did. Then one node is drained
 * (SIGTERM) in the middle of a run, and another killed with {@code kill -9}.
 */
class ClusterProcessTest {

  private static final Duration STEP = Duration.ofSeconds(20);
  private static final String PASSWORD = "cluster-pw";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp;
  private final List<Process> processes = new ArrayList<>();
  private final int[] ftpPorts = new int[3];
  private final int[] metricsPorts = new int[3];
  private final Process[] nodes = new Process[3];
  private Path root;
  private int front;

  @AfterEach
  void stop() throws Exception {
    for (var p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort(String host) throws IOException {
    try (var socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    }
  }

  private static String host(int node) {
    return "127.0.0.1" + (node + 1);
  }

  private Process startNode(int i) throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var logback = Path.of(ClusterProcessTest.class.getClassLoader().getResource("logback.xml").toURI());
    var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
        "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
        KeyholeCli.class.getName(), "serve", "--bind", host(i), "--port", Integer.toString(ftpPorts[i]),
        "--root", root.toString(), "--user", "u:env:KEYHOLE_TEST_PASSWORD", "--node-id", "n" + (i + 1),
        "--proxy-protocol", "--trusted-proxies", "127.0.0.1", "--metrics-port", Integer.toString(metricsPorts[i]),
        "--max-sessions-per-ip", "2", "--banner", "node n" + (i + 1), "--drain-timeout", "20s",
        "--data-channels", "spsv", "--log-file", tmp.resolve("n" + (i + 1) + ".log").toString()));
    for (int j = 0; j < 3; j++) {
      command.addAll(List.of("--cluster-peer", "n" + (j + 1) + "=" + host(j) + ":" + ftpPorts[j]));
    }
    var builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("n" + (i + 1) + ".out").toFile());
    builder.environment().put("KEYHOLE_TEST_PASSWORD", PASSWORD);
    var process = builder.start();
    processes.add(process);
    return process;
  }

  private void startHaproxy() throws Exception {
    var haproxy = ExternalTool.require("haproxy").toString();
    var config = new StringBuilder("""
        global
          maxconn 4000
          log stdout format raw local0 info
        defaults
          mode tcp
          log global
          option tcplog
          timeout connect 5s
          timeout client 60s
          timeout server 60s
          retries 3
          option redispatch
        frontend ftp
          bind 127.0.0.1:%d
          default_backend nodes
        backend nodes
          balance roundrobin
          option httpchk GET /health
          http-check expect status 200
          default-server send-proxy-v2 inter 300ms fall 1 rise 2
        """.formatted(front));
    for (int i = 0; i < 3; i++) {
      config.append("  server n%d %s:%d check port %d%n".formatted(i + 1, host(i), ftpPorts[i], metricsPorts[i]));
    }
    var file = tmp.resolve("haproxy.cfg");
    Files.writeString(file, config);
    var process = new ProcessBuilder(haproxy, "-f", file.toString(), "-db").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("haproxy.out").toFile()).start();
    processes.add(process);
  }

  private void awaitHealthy(int node, int status) throws Exception {
    try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          var response = http.send(HttpRequest.newBuilder(URI.create("http://" + host(node) + ":" + metricsPorts[node]
              + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == status) {
            return;
          }
        } catch (IOException e) {
          // not up yet
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("node n" + (node + 1) + " never answered /health " + status + "; its output: "
        + Files.readString(tmp.resolve("n" + (node + 1) + ".out")));
  }

  private static byte[] content(String name, int size) {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    return data;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** What one client session did: the node that greeted it, transfers verified, and how it ended. */
  record Outcome(String node, int verified, Optional<Throwable> failure) {}

  /**
   * A session from {@code source} through the balancer: {@code rounds} times an SPSV upload and
   * an SPSV download of it, compared by SHA-256.
   */
  private Outcome session(String source, String prefix, int rounds, int size, Duration pause) {
    String node = "?";
    int verified = 0;
    FtpClient client = null;
    String step = "connect";
    try {
      client = FtpClient.connect(new InetSocketAddress("127.0.0.1", front), InetAddress.getByName(source), STEP,
          Optional.empty()).block(STEP);
      node = client.greeting().text();
      client.login("u", PASSWORD).block(STEP);
      for (int r = 0; r < rounds; r++) {
        String name = prefix + "-" + r + ".bin";
        byte[] data = content(name, size);
        step = "STOR " + name;
        client.upload(name, DataChannelKind.SPSV, b -> { }, () -> chunks(data)).block(STEP);
        step = "RETR " + name;
        byte[] back = client.fetch("RETR " + name, DataChannelKind.SPSV).block(STEP);
        assertThat(sha256(back)).as(name).isEqualTo(sha256(data));
        verified++;
        Thread.sleep(pause.toMillis());
      }
      step = "QUIT";
      client.quit().block(STEP);
      return new Outcome(node, verified, Optional.empty());
    } catch (Throwable e) {
      if (client != null) {
        client.quietClose().onErrorComplete().block(STEP);
      }
      return new Outcome(node, verified, Optional.of(new AssertionError(step + " from " + source + ": " + e, e)));
    }
  }

  private static Flux<ByteBuf> chunks(byte[] data) {
    return Flux.range(0, (data.length + 65535) / 65536)
        .map(i -> Unpooled.wrappedBuffer(data, i * 65536, Math.min(65536, data.length - i * 65536)));
  }

  private List<Outcome> run(int sessions, int firstSource, String prefix, int rounds, int size, Duration pause,
      Runnable meanwhile) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new ArrayList<Future<Outcome>>();
      for (int i = 0; i < sessions; i++) {
        String source = "127.0.0." + (firstSource + i);
        String name = prefix + i;
        futures.add(pool.submit(() -> session(source, name, rounds, size, pause)));
      }
      meanwhile.run();
      var outcomes = new ArrayList<Outcome>();
      for (var f : futures) {
        outcomes.add(f.get(120, TimeUnit.SECONDS));
      }
      return outcomes;
    }
  }

  private long logLines(String contains) throws IOException {
    long n = 0;
    for (int i = 1; i <= 3; i++) {
      var log = tmp.resolve("n" + i + ".log");
      if (Files.exists(log)) {
        n += Files.readAllLines(log).stream().filter(l -> l.contains(contains)).count();
      }
    }
    return n;
  }

  @Test
  void threeNodesBehindHaproxyRelayDrainAndSurviveAKill() throws Exception {
    root = Files.createDirectories(tmp.resolve("shared-root"));
    front = freePort("127.0.0.1");
    for (int i = 0; i < 3; i++) {
      ftpPorts[i] = freePort(host(i));
      metricsPorts[i] = freePort(host(i));
    }
    for (int i = 0; i < 3; i++) {
      nodes[i] = startNode(i);
    }
    for (int i = 0; i < 3; i++) {
      awaitHealthy(i, 200);
    }
    startHaproxy();
    awaitFront();

    // 100 sessions at once, from 100 addresses: every transfer whole, most SPDTs relayed
    var steady = run(100, 20, "steady", 1, 256 * 1024, Duration.ZERO, () -> { });
    assertThat(steady).allSatisfy(o -> assertThat(o.failure()).as(o.node()).isEmpty());
    assertThat(steady.stream().map(Outcome::node).distinct()).containsExactlyInAnyOrder("node n1", "node n2", "node n3");
    long relayed = logLines("bytes relayed to node");
    assertThat(relayed).as("SPDT connections relayed to the node that issued them, of 200: most").isGreaterThan(100);
    // the clients' own addresses, not the balancer's: no per-address refusal, and in the logs
    assertThat(logLines("refused")).isZero();
    assertThat(logLines("from 127.0.0.57:")).isPositive();

    // n2 drains in the middle of a run: every session on n1 and n3 undisturbed, n2's transfers whole
    var draining = run(30, 130, "drain", 4, 256 * 1024, Duration.ofMillis(300), () -> {
      sleep(700);
      nodes[1].destroy(); // SIGTERM
    });
    assertThat(nodes[1].waitFor(40, TimeUnit.SECONDS)).as("n2 exits once drained").isTrue();
    assertThat(Files.readString(tmp.resolve("n2.log"))).contains("draining:", "drained:");
    for (var o : draining) {
      if (!o.node().equals("node n2")) {
        assertThat(o.failure()).as("a session on " + o.node()).isEmpty();
      } else {
        // at most the session itself was ended (421) between two transfers
        o.failure().ifPresent(e -> assertThat(e).hasMessageContaining("421"));
      }
    }

    // n3 is killed with kill -9 in the middle of a run: its sessions fail, nothing is truncated
    var killed = run(30, 170, "kill", 4, 1 << 20, Duration.ofMillis(100), () -> {
      sleep(700);
      nodes[2].destroyForcibly(); // SIGKILL
    });
    assertThat(nodes[2].waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (var o : killed) {
      if (o.node().equals("node n1")) {
        // a session on n1 fails only where its data went through n3 when it died
        o.failure().ifPresent(e -> assertThat(e.toString()).as(logs()).doesNotContain("Timeout"));
      }
    }
    assertThat(killed.stream().filter(o -> o.failure().isEmpty())).as("sessions that lived").isNotEmpty();
    // every file under its final name holds exactly what was sent
    try (var files = Files.list(root)) {
      for (var file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".bin")) {
          int size = name.startsWith("kill") ? 1 << 20 : 256 * 1024;
          assertThat(sha256(Files.readAllBytes(file))).as(name).isEqualTo(sha256(content(name, size)));
        }
      }
    }
    // and the survivor serves on
    var after = session("127.0.0.250", "after", 1, 1000, Duration.ZERO);
    assertThat(after.failure()).isEmpty();
    assertThat(after.node()).isEqualTo("node n1");
  }

  /** The nodes' logs, for a failure's message. */
  private String logs() {
    var out = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      try {
        var lines = Files.readAllLines(tmp.resolve("n" + i + ".log"));
        out.append("--- n").append(i).append(".log (last 60 lines)\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()))).append('\n');
      } catch (IOException e) {
        out.append("--- n").append(i).append(".log: ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  private void awaitFront() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (var socket = new Socket("127.0.0.1", front)) {
        socket.setSoTimeout(2000);
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (line != null && line.startsWith("220")) {
          // every backend up: the health checks rise after two passes
          Thread.sleep(1000);
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("HAProxy never served: " + Files.readString(tmp.resolve("haproxy.out")));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
