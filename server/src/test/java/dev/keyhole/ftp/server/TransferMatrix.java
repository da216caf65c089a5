package dev.keyhole.ftp.server;

import dev.keyhole.ftp.server.api.FtpEvent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.ProbeClient.Kind;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import reactor.core.Disposable;

/**
 * Every way bytes move, and every way that can go wrong, as cells: a data-channel kind, clear or
 * under TLS, a download or an upload, and what the client does (reads or writes normally, slower
 * than the timeouts, aborts, resets, or never connects). Each cell asserts what an operator
 * relies on: the bytes intact or a clean error reply, a failed upload leaving the previous file
 * intact and no partial file behind, the transfer event with the bytes really moved, and the
 * server serving the next session. The client connects to {@code host:port}: the server itself
 * or an ALG in front of it.
 */
public final class TransferMatrix implements AutoCloseable {

  /** What the client does with the data connection. */
  public enum Behaviour { NORMAL, SLOW, ABORT, RESET, NO_CONNECTION }

  /** Which way the bytes go. */
  public enum Direction { DOWNLOAD, UPLOAD }

  /** One cell of the matrix. */
  public record Cell(Kind kind, boolean tls, Direction direction, Behaviour behaviour) {
    public String fileName() {
      return (direction == Direction.DOWNLOAD ? "down-" : "up-") + kind + (tls ? "-tls-" : "-clear-") + behaviour + ".bin";
    }

    @Override
    public String toString() {
      return kind + (tls ? " PROT P " : " clear ") + direction + " " + behaviour;
    }
  }

  /** Every cell for these kinds: both directions, clear (and under PROT P where asked), each behaviour. */
  public static Stream<Cell> cells(Set<Kind> kinds, boolean withTls) {
    var cells = new ArrayList<Cell>();
    for (Kind kind : kinds) {
      for (boolean tls : withTls ? List.of(false, true) : List.of(false)) {
        for (Direction direction : Direction.values()) {
          for (Behaviour behaviour : Behaviour.values()) {
            cells.add(new Cell(kind, tls, direction, behaviour));
          }
        }
      }
    }
    // -Dkeyhole.matrix.only="EPSV clear DOWNLOAD ABORT" runs the cells whose name contains it, to look at one
    String only = System.getProperty("keyhole.matrix.only", "");
    return cells.stream().filter(cell -> cell.toString().contains(only));
  }

  /** The file size of normal cells: a few socket buffers. */
  static final int NORMAL_SIZE = 300 * 1024 + 17;
  /** Aborted and reset transfers: larger than every socket buffer on the way, so they are cut mid-file. */
  static final int LARGE_SIZE = 24 * 1024 * 1024;
  /** How fast slow cells read or write. */
  static final long SLOW_RATE = 2 * 1024 * 1024;

  private final TestServer server;
  private final String host;
  private final int port;
  private final Duration timeout;
  private final Map<String, dev.keyhole.ftp.server.api.FtpEvent.TransferCompleted> events = new ConcurrentHashMap<>();
  private final Disposable subscription;

  /**
   * @param timeout the server's idle and data timeouts: slow cells take longer than it
   */
  public TransferMatrix(TestServer server, String host, int port, Duration timeout) {
    this.server = server;
    this.host = host;
    this.port = port;
    this.timeout = timeout;
    this.subscription = server.server().events()
        .ofType(dev.keyhole.ftp.server.api.FtpEvent.TransferCompleted.class)
        .subscribe(e -> events.put(e.path().getFileName().toString(), e));
  }

  /** Runs one cell and checks it. */
  public void run(Cell cell) throws Exception {
    if (cell.direction() == Direction.DOWNLOAD) {
      download(cell);
    } else {
      upload(cell);
    }
    nextSessionWorks();
  }

  /** Bytes of every transfer event so far, by direction: what the byte meters must have counted. */
  public long eventBytes(dev.keyhole.ftp.server.api.FtpEvent.Direction direction) {
    return events.values().stream().filter(e -> e.direction() == direction).mapToLong(e -> e.bytes()).sum();
  }

  private ProbeClient login(Cell cell) throws IOException {
    return ProbeClient.login(host, port, cell.tls(), TestServer.USER, TestServer.PASSWORD);
  }

  private void download(Cell cell) throws Exception {
    int size = switch (cell.behaviour()) {
      case NORMAL, NO_CONNECTION -> NORMAL_SIZE;
      case SLOW -> slowSize();
      case ABORT, RESET -> LARGE_SIZE;
    };
    byte[] content = random(size, cell.fileName().hashCode());
    Files.write(server.root().resolve(cell.fileName()), content);
    try (var client = login(cell)) {
      var endpoint = client.prepare(cell.kind(), cell.behaviour() == Behaviour.NO_CONNECTION);
      client.send("RETR " + cell.fileName());
      if (cell.behaviour() == Behaviour.NO_CONNECTION) {
        assertFailed(cell, client, 425);
        return;
      }
      try (Socket data = endpoint.open()) {
        client.expect(150);
        switch (cell.behaviour()) {
          case NORMAL, SLOW -> {
            byte[] got = ProbeClient.readAll(data, cell.behaviour() == Behaviour.SLOW ? SLOW_RATE : 0);
            assertThat(TestServer.sha256(got)).as("%s: bytes", cell).isEqualTo(TestServer.sha256(content));
            client.expect(226);
            var event = event(cell);
            assertThat(event.success()).as("%s: event", cell).isTrue();
            assertThat(event.bytes()).as("%s: bytes in the event", cell).isEqualTo(size);
          }
          case ABORT -> {
            int read = ProbeClient.readSome(data, 64 * 1024).length;
            client.send("ABOR");
            FtpReply first = client.reply();
            FtpReply second = client.reply();
            assertAbortReplies(cell, first, second);
            var event = event(cell);
            assertThat(event.bytes()).as("%s: bytes in the event", cell).isBetween((long) read, (long) size);
          }
          case RESET -> {
            int read = ProbeClient.readSome(data, 64 * 1024).length;
            endpoint.reset();
            FtpReply reply = client.reply();
            assertThat(reply).as("%s: final reply", cell).isNotNull();
            assertThat(reply.code()).as("%s: final reply %s", cell, reply).isIn(426, 451);
            var event = event(cell);
            assertThat(event.success()).as("%s: event", cell).isFalse();
            assertThat(event.bytes()).as("%s: bytes in the event", cell).isBetween((long) read, (long) size);
          }
          default -> throw new IllegalStateException();
        }
      }
    }
  }

  private void upload(Cell cell) throws Exception {
    Path target = server.root().resolve(cell.fileName());
    byte[] old = random(1000, 1);
    Files.write(target, old);
    int size = cell.behaviour() == Behaviour.SLOW ? slowSize() : NORMAL_SIZE;
    byte[] content = random(size, cell.fileName().hashCode());
    try (var client = login(cell)) {
      var endpoint = client.prepare(cell.kind(), cell.behaviour() == Behaviour.NO_CONNECTION);
      client.send("STOR " + cell.fileName());
      if (cell.behaviour() == Behaviour.NO_CONNECTION) {
        assertFailed(cell, client, 425);
        assertUntouched(cell, target, old);
        return;
      }
      try (Socket data = endpoint.open()) {
        client.expect(150);
        switch (cell.behaviour()) {
          case NORMAL, SLOW -> {
            ProbeClient.writeAll(data, content, cell.behaviour() == Behaviour.SLOW ? SLOW_RATE : 0);
            data.close();
            client.expect(226);
            assertThat(TestServer.sha256(target)).as("%s: stored bytes", cell).isEqualTo(TestServer.sha256(content));
            var event = event(cell);
            assertThat(event.success()).isTrue();
            assertThat(event.bytes()).as("%s: bytes in the event", cell).isEqualTo(size);
          }
          case ABORT -> {
            ProbeClient.writeAll(data, java.util.Arrays.copyOf(content, 128 * 1024), 0);
            client.send("ABOR");
            assertAbortReplies(cell, client.reply(), client.reply());
            assertUntouched(cell, target, old);
            assertThat(event(cell).success()).as("%s: event", cell).isFalse();
          }
          case RESET -> {
            ProbeClient.writeAll(data, java.util.Arrays.copyOf(content, 128 * 1024), 0);
            endpoint.reset();
            FtpReply reply = client.reply();
            assertThat(reply).as("%s: final reply", cell).isNotNull();
            assertThat(reply.code()).as("%s: final reply %s", cell, reply).isIn(426, 451);
            assertUntouched(cell, target, old);
            assertThat(event(cell).success()).as("%s: event", cell).isFalse();
          }
          default -> throw new IllegalStateException();
        }
      }
    }
  }

  /** ABOR during a transfer: 426 for the transfer then 226 for ABOR, or 226 then 225 where it had just ended. */
  private static void assertAbortReplies(Cell cell, FtpReply first, FtpReply second) {
    assertThat(first).as("%s: transfer reply", cell).isNotNull();
    assertThat(second).as("%s: ABOR reply", cell).isNotNull();
    if (first.code() == 426) {
      assertThat(second.code()).as("%s: ABOR reply %s", cell, second).isEqualTo(226);
    } else {
      assertThat(first.code()).as("%s: transfer reply %s", cell, first).isEqualTo(226);
      assertThat(second.code()).as("%s: ABOR reply %s", cell, second).isIn(225, 226);
    }
  }

  /** A transfer that could not start: its code, after a 150 where the data connection was half made. */
  private static void assertFailed(Cell cell, ProbeClient client, int code) throws IOException {
    FtpReply reply = client.reply();
    if (reply != null && reply.code() == 150) {
      reply = client.reply();
      assertThat(reply).as("%s: final reply", cell).isNotNull();
      assertThat(reply.code()).as("%s: final reply %s", cell, reply).isIn(425, 426);
      return;
    }
    assertThat(reply).as("%s: reply", cell).isNotNull();
    assertThat(reply.code()).as("%s: reply %s", cell, reply).isEqualTo(code);
  }

  private void assertUntouched(Cell cell, Path target, byte[] old) throws IOException {
    assertThat(Files.readAllBytes(target)).as("%s: the previous file", cell).isEqualTo(old);
    try (var files = Files.list(target.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("%s: no partial file left", cell)
          .noneMatch(name -> name.startsWith("." + cell.fileName()));
    }
  }

  private dev.keyhole.ftp.server.api.FtpEvent.TransferCompleted event(Cell cell) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      var event = events.get(cell.fileName());
      if (event != null) {
        return event;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(cell + ": no transfer event");
  }

  private void nextSessionWorks() throws IOException {
    try (var client = ProbeClient.login(host, port, false, TestServer.USER, TestServer.PASSWORD)) {
      client.send("NOOP").expect(200);
      client.send("QUIT").expect(221);
    }
  }

  /** A slow cell moves bytes for about twice the timeout. */
  private int slowSize() {
    return (int) (SLOW_RATE * timeout.toMillis() * 2 / 1000);
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
