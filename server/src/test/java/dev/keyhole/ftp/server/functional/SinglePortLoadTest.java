package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.SpdtClient;
import dev.keyhole.ftp.server.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Single-port mode under load, and the operating system's view of what it listens on. */
class SinglePortLoadTest {

  @Test
  void twoHundredConcurrentSessionsTransferOverSpdtWithoutCrossTalk() throws Exception {
    try (var server = TestServer.start(s -> s.singlePort())) {
      int sessions = 200;
      for (int i = 0; i < sessions; i++) {
        byte[] data = new byte[20_000 + i * 37];
        new Random(i).nextBytes(data);
        Files.write(server.root().resolve("file-" + i), data);
      }
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var tasks = new ArrayList<Callable<Void>>();
        for (int i = 0; i < sessions; i++) {
          int n = i;
          tasks.add(() -> {
            session(server, n);
            return null;
          });
        }
        for (var result : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
          result.get();
        }
      }
      for (int i = 0; i < sessions; i++) {
        assertThat(TestServer.sha256(server.root().resolve("copy-" + i)))
            .isEqualTo(TestServer.sha256(server.root().resolve("file-" + i)));
      }
    }
  }

  private static void session(TestServer server, int n) throws IOException {
    try (var c = RawControl.login(server)) {
      c.send("TYPE I").expect(200);
      byte[] downloaded;
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("RETR file-" + n).expect(150);
        downloaded = data.getInputStream().readAllBytes();
        c.expect(226);
      }
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("STOR copy-" + n).expect(150);
        data.getOutputStream().write(downloaded);
        data.shutdownOutput();
        c.expect(226);
      }
      c.send("QUIT").expect(221);
    }
  }

  @Test
  void singlePortServerListensOnExactlyOnePortThroughAFullSession() throws Exception {
    Set<Long> before = settledListeningInodes();
    try (var server = TestServer.start(s -> s.singlePort()); var c = RawControl.login(server)) {
      var file = server.randomFile("f.bin", 100_000);
      c.send("TYPE I").expect(200);
      Set<Long> during = new HashSet<>();
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("LIST").expect(150);
        data.getInputStream().readAllBytes();
        c.expect(226);
        during.addAll(listeningInodesOfThisProcess());
      }
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("RETR f.bin").expect(150);
        assertThat(TestServer.sha256(data.getInputStream().readAllBytes())).isEqualTo(TestServer.sha256(file));
        c.expect(226);
        during.addAll(listeningInodesOfThisProcess());
      }
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("STOR g.bin").expect(150);
        data.getOutputStream().write(new byte[50_000]);
        data.shutdownOutput();
        c.expect(226);
        during.addAll(listeningInodesOfThisProcess());
      }
      during.removeAll(before);
      // one socket per event loop (ListenerSocketsTest), every one of them on the control port
      assertThat(during).as("listening sockets the server opened").isNotEmpty();
      assertThat(listeningPorts(during)).as("the ports they listen on").containsOnly(server.port());
    }
  }

  @Test
  void theProbeSeesThePassiveListenerOfEpsv() throws Exception {
    Set<Long> before = settledListeningInodes();
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      Set<Long> during = listeningInodesOfThisProcess();
      during.removeAll(before);
      assertThat(listeningPorts(during)).as("the control port and the passive listener's")
          .containsOnly(server.port(), port);
    }
  }

  private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

  /** Inodes of the TCP sockets in LISTEN state that this process holds, from /proc. */
  static Set<Long> listeningInodesOfThisProcess() throws IOException {
    Set<Long> mine = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          var m = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) {
            mine.add(Long.parseLong(m.group(1)));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor closed while listing
        }
      }
    }
    Set<Long> listening = new HashSet<>();
    for (var line : procTcp()) {
      if (line.state.equals("0A") && mine.contains(line.inode)) {
        listening.add(line.inode);
      }
    }
    return listening;
  }

  /**
   * The listening sockets once no earlier test's server is still closing its own: two reads 100 ms
   * apart that agree, within two seconds.
   */
  private static Set<Long> settledListeningInodes() throws IOException, InterruptedException {
    Set<Long> last = listeningInodesOfThisProcess();
    for (int i = 0; i < 20; i++) {
      Thread.sleep(100);
      Set<Long> now = listeningInodesOfThisProcess();
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    return last;
  }

  static List<Integer> listeningPorts(Set<Long> inodes) throws IOException {
    var ports = new ArrayList<Integer>();
    for (var line : procTcp()) {
      if (inodes.contains(line.inode)) {
        ports.add(line.port);
      }
    }
    return ports;
  }

  private record TcpLine(int port, String state, long inode) {}

  private static List<TcpLine> procTcp() throws IOException {
    var lines = new ArrayList<TcpLine>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(file);
      if (!Files.exists(p)) {
        continue;
      }
      var all = Files.readAllLines(p); // read once: sockets come and go between two reads
      for (String line : all.subList(1, all.size())) {
        String[] f = line.trim().split("\\s+");
        String local = f[1];
        int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
        lines.add(new TcpLine(port, f[3], Long.parseLong(f[9])));
      }
    }
    return lines;
  }
}
