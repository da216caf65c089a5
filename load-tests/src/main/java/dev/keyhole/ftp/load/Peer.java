package dev.keyhole.ftp.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An FTP server the harness starts on loopback in a process of its own, so that every peer is
 * measured the same way: its CPU time and peak memory from /proc, its files in a fresh root.
 */
final class Peer implements AutoCloseable {

  static final String USER = "load";
  static final String PASSWORD = "load";

  /** The servers the harness can start. */
  enum Kind {
    KEYHOLE("keyhole"),
    APACHE_FTPSERVER("apache-ftpserver");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind parse(String name) {
      for (Kind k : values()) {
        if (k.label.equals(name.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown peer '" + name + "' (keyhole, apache-ftpserver)");
    }
  }

  final Kind kind;
  final int port;
  final Path root;
  private final Process process;

  private Peer(Kind kind, int port, Path root, Process process) {
    this.kind = kind;
    this.port = port;
    this.root = root;
    this.process = process;
  }

  /** Starts a peer and waits (at most 60 s) until it greets. */
  static Peer start(Kind kind, Path work) throws IOException, InterruptedException {
    int port = freePort();
    Path root = Files.createDirectories(work.resolve(kind.label + "-root"));
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx2g", "-cp", classpath));
    switch (kind) {
      case KEYHOLE -> command.addAll(List.of("dev.keyhole.ftp.cli.KeyholeCli", "serve", "--port", String.valueOf(port),
          "--root", root.toString(), "--user", USER + ":" + PASSWORD, "--max-sessions", "20000",
          "--idle-timeout", "10m"));
      case APACHE_FTPSERVER -> command.addAll(List.of(ApachePeerMain.class.getName(), String.valueOf(port),
          root.toString(), USER, PASSWORD));
    }
    var builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(kind.label + ".log").toFile());
    builder.environment().put("KEYHOLE_LOG_LEVEL", "WARN");
    var peer = new Peer(kind, port, root, builder.start());
    peer.awaitGreeting();
    return peer;
  }

  private void awaitGreeting() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(kind.label + " exited with " + process.exitValue() + " before greeting");
      }
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        socket.setSoTimeout(2000);
        InputStream in = socket.getInputStream();
        if (in.read() == '2') {
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IOException(kind.label + " did not greet on port " + port + " within 60 s");
  }

  /** CPU seconds the peer has used so far (user + system), from /proc. */
  double cpuSeconds() {
    return ProcStats.cpuSeconds(process.pid());
  }

  /** The peer's peak resident memory so far, in bytes, from /proc. */
  Optional<Long> peakRss() {
    return ProcStats.peakRss(process.pid());
  }

  String url() {
    return "ftp://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
