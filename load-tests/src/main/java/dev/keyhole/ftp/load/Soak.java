package dev.keyhole.ftp.load;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The soak scenario: clients that do what clients do on a bad day, for a set time, against one
 * server: complete uploads and downloads, uploads and downloads reset midway, ABOR, slow readers,
 * control connections reset during a transfer, sessions dropped without QUIT, listings, over every
 * data-channel kind, and concurrent uploads to the same few names. Every upload sends one of a few
 * known versions of its file, so that afterwards every file must be one of them, whole (a SHA-256
 * manifest), every download that got 226 must have been one of them too, and the server's file
 * descriptors and threads must be back where they were.
 */
final class Soak {

  /** What the clients do, each a share of the operations. */
  enum Operation {
    UPLOAD(24), UPLOAD_RESET(8), UPLOAD_ABORT(6), DOWNLOAD(24), DOWNLOAD_SLOW(5), DOWNLOAD_RESET(8),
    CONTROL_RESET(6), DROP_SESSION(5), LIST(14);

    final int weight;

    Operation(int weight) {
      this.weight = weight;
    }
  }

  /** The data-channel commands. */
  enum Kind { PASV, EPSV, PORT, EPRT, SPSV }

  static final int NAMES = 6;
  static final int VERSIONS = 4;
  private static final Pattern PASV = Pattern.compile(".*\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\).*");
  private static final Pattern EPSV = Pattern.compile(".*\\(\\|\\|\\|(\\d+)\\|\\).*");
  private static final Pattern SPSV = Pattern.compile(".*\\(([!-~&&[^()]]+)\\).*");

  /**
   * What a process holds: open file descriptors, threads and proportional memory.
   *
   * @param memory bytes (PSS), or -1 where unknown
   */
  record Resources(long fds, long threads, long memory) {
    static Resources of(long pid) {
      long fds = -1;
      try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
        fds = list.count();
      } catch (IOException e) {
        // not Linux
      }
      long threads = -1;
      try {
        threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
            .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElse(-1);
      } catch (IOException | RuntimeException e) {
        // not Linux
      }
      return new Resources(fds, threads, ProcStats.memory(pid).orElse(-1L));
    }
  }

  /**
   * What a soak run found.
   *
   * @param operations by kind, how many ran
   * @param verifiedDownloads downloads answered 226 whose bytes were a known version
   * @param problems every broken promise: a corrupt or truncated file or download, a wrong reply,
   *     a leftover partial file, an unreachable server
   */
  record Result(Map<Operation, Long> operations, long verifiedDownloads, List<String> problems,
      Optional<Resources> before, Optional<Resources> after) {}

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final Duration stepTimeout;
  private final byte[][][] versions = new byte[NAMES][VERSIONS][];
  private final Map<String, Set<String>> manifest = new ConcurrentHashMap<>();
  private final Map<Operation, AtomicLong> counts = new EnumMap<>(Operation.class);
  private final AtomicLong verified = new AtomicLong();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean spsv;

  Soak(String host, int port, String user, String password, long seed) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.stepTimeout = Duration.ofSeconds(20);
    var random = new Random(seed);
    for (int n = 0; n < NAMES; n++) {
      var hashes = ConcurrentHashMap.<String>newKeySet();
      for (int v = 0; v < VERSIONS; v++) {
        byte[] content = new byte[32 * 1024 + random.nextInt(480 * 1024)];
        random.nextBytes(content);
        versions[n][v] = content;
        hashes.add(sha256(content));
      }
      manifest.put(name(n), hashes);
    }
    for (Operation op : Operation.values()) {
      counts.put(op, new AtomicLong());
    }
  }

  static String name(int n) {
    return "soak-" + n + ".bin";
  }

  /**
   * Runs {@code clients} clients for {@code duration}, then checks every file through the server
   * and, where given, on disk under {@code root}, and the process {@code pid}'s resources.
   */
  Result run(Duration duration, int clients, Optional<Path> root, OptionalLong pid, PrintStream progress)
      throws InterruptedException {
    for (int n = 0; n < NAMES; n++) {
      try (var c = Client.login(this)) {
        spsv = c.features.contains("SPSV");
        upload(c, Kind.EPSV, n, 0, Operation.UPLOAD, new Random(n));
      } catch (IOException e) {
        problems.add("setting up " + name(n) + ": " + e);
        return result(Optional.empty(), Optional.empty());
      }
    }
    Thread.sleep(500);
    Optional<Resources> before = pid.isPresent() ? Optional.of(Resources.of(pid.getAsLong())) : Optional.empty();
    long deadline = System.nanoTime() + duration.toNanos();
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < clients; i++) {
      long clientSeed = i * 7919L + 1;
      threads.add(Thread.ofPlatform().name("soak-" + i).start(() -> clientLoop(new Random(clientSeed), deadline)));
    }
    long start = System.nanoTime();
    while (threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(1000);
      long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
      if (elapsed % 10 == 0 && progress != null) {
        progress.printf("soak: %d s, %d operations, %d problems%n", elapsed,
            counts.values().stream().mapToLong(AtomicLong::get).sum(), problems.size());
      }
    }
    verifyFiles(root);
    Optional<Resources> after = Optional.empty();
    if (before.isPresent()) {
      // sessions and connections the clients dropped take the server's timeouts to go
      long settle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Resources now;
      do {
        Thread.sleep(250);
        now = Resources.of(pid.getAsLong());
      } while (System.nanoTime() < settle && (now.fds() > before.get().fds() + 8 || now.threads() > before.get().threads() + 8));
      after = Optional.of(now);
      if (now.fds() > before.get().fds() + 8) {
        problems.add("file descriptors: " + before.get().fds() + " before, " + now.fds() + " after");
      }
      if (now.threads() > before.get().threads() + 8) {
        problems.add("threads: " + before.get().threads() + " before, " + now.threads() + " after");
      }
    }
    return result(before, after);
  }

  private Result result(Optional<Resources> before, Optional<Resources> after) {
    var ops = new EnumMap<Operation, Long>(Operation.class);
    counts.forEach((op, n) -> ops.put(op, n.get()));
    return new Result(ops, verified.get(), List.copyOf(problems), before, after);
  }

  private void clientLoop(Random random, long deadline) {
    int total = 0;
    for (Operation op : Operation.values()) {
      total += op.weight;
    }
    while (System.nanoTime() < deadline) {
      int pick = random.nextInt(total);
      Operation op = Operation.values()[0];
      for (Operation o : Operation.values()) {
        if (pick < o.weight) {
          op = o;
          break;
        }
        pick -= o.weight;
      }
      Kind kind = Kind.values()[random.nextInt(spsv ? Kind.values().length : Kind.values().length - 1)];
      int n = random.nextInt(NAMES);
      try (var c = Client.login(this)) {
        switch (op) {
          case UPLOAD, UPLOAD_RESET, UPLOAD_ABORT -> upload(c, kind, n, random.nextInt(VERSIONS), op, random);
          case DOWNLOAD, DOWNLOAD_SLOW, DOWNLOAD_RESET, CONTROL_RESET -> download(c, kind, n, op, random);
          case DROP_SESSION -> c.send("PWD").expect(257);
          case LIST -> list(c, kind);
        }
        counts.get(op).incrementAndGet();
        if (op != Operation.DROP_SESSION && op != Operation.CONTROL_RESET && !c.closed) {
          c.send("QUIT");
        }
      } catch (IOException | RuntimeException e) {
        problems.add(op + " " + kind + " " + name(n) + ": " + e);
      }
    }
  }

  private void upload(Client c, Kind kind, int n, int v, Operation op, Random random) throws IOException {
    byte[] content = versions[n][v];
    var data = c.prepare(kind);
    c.send("STOR " + name(n));
    try (Socket s = data.open()) {
      c.expect(150);
      var out = s.getOutputStream();
      switch (op) {
        case UPLOAD -> {
          out.write(content);
          out.flush();
          s.shutdownOutput();
          c.expect(226);
        }
        case UPLOAD_RESET -> {
          out.write(content, 0, content.length / 2);
          out.flush();
          s.setSoLinger(true, 0);
          s.close();
          int code = c.reply();
          if (code == 226) {
            problems.add("an upload reset after half its bytes was answered 226: " + name(n));
          }
        }
        case UPLOAD_ABORT -> {
          out.write(content, 0, content.length / 3);
          out.flush();
          c.send("ABOR");
          int first = c.reply();
          int second = c.reply();
          if (!((first == 426 && second == 226) || (first == 226 && (second == 225 || second == 226)))) {
            problems.add("ABOR during STOR answered " + first + " then " + second);
          }
        }
        default -> throw new IllegalStateException(op.name());
      }
    }
  }

  private void download(Client c, Kind kind, int n, Operation op, Random random) throws IOException {
    var data = c.prepare(kind);
    c.send("RETR " + name(n));
    try (Socket s = data.open()) {
      c.expect(150);
      var in = s.getInputStream();
      switch (op) {
        case DOWNLOAD, DOWNLOAD_SLOW -> {
          var buffer = new ByteArrayOutputStream();
          byte[] chunk = new byte[8192];
          long start = System.nanoTime();
          int read;
          while ((read = in.read(chunk)) != -1) {
            buffer.write(chunk, 0, read);
            if (op == Operation.DOWNLOAD_SLOW) {
              long due = start + buffer.size() * 1_000_000L / 1024; // 1 MiB/s
              long wait = due - System.nanoTime();
              if (wait > 0) {
                sleep(wait / 1_000_000);
              }
            }
          }
          int code = c.reply();
          boolean known = manifest.get(name(n)).contains(sha256(buffer.toByteArray()));
          if (code == 226 && !known) {
            problems.add("a download answered 226 is no version of " + name(n) + " (" + buffer.size() + " bytes)");
          } else if (code == 226) {
            verified.incrementAndGet();
          } else if (code != 426 && code != 451 && code != 550) {
            problems.add("RETR answered " + code);
          }
        }
        case DOWNLOAD_RESET, CONTROL_RESET -> {
          in.readNBytes(1 + random.nextInt(16 * 1024));
          s.setSoLinger(true, 0);
          s.close();
          if (op == Operation.CONTROL_RESET) {
            c.reset();
          } else {
            int code = c.reply();
            if (code != 426 && code != 226 && code != 451) {
              problems.add("a download reset midway was answered " + code);
            }
          }
        }
        default -> throw new IllegalStateException(op.name());
      }
    }
  }

  private void list(Client c, Kind kind) throws IOException {
    var data = c.prepare(kind);
    c.send("NLST");
    String listing;
    try (Socket s = data.open()) {
      c.expect(150);
      listing = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    c.expect(226);
    for (String name : listing.split("\r\n")) {
      if (name.endsWith(".part")) {
        problems.add("a listing shows a partial upload: " + name);
      }
    }
  }

  /** Every file, read back through the server and on disk: one of its versions, whole. */
  private void verifyFiles(Optional<Path> root) {
    for (int n = 0; n < NAMES; n++) {
      try (var c = Client.login(this)) {
        var data = c.prepare(Kind.EPSV);
        c.send("RETR " + name(n));
        byte[] bytes;
        try (Socket s = data.open()) {
          c.expect(150);
          bytes = s.getInputStream().readAllBytes();
        }
        c.expect(226);
        if (!manifest.get(name(n)).contains(sha256(bytes))) {
          problems.add(name(n) + " as the server sends it now is no complete version (" + bytes.length + " bytes)");
        }
      } catch (IOException | RuntimeException e) {
        problems.add("reading back " + name(n) + ": " + e);
      }
    }
    if (root.isEmpty()) {
      return;
    }
    try (var files = Files.walk(root.get())) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        var hashes = manifest.get(name);
        if (hashes == null) {
          problems.add("a file no client finished is on disk: " + root.get().relativize(p));
        } else if (!hashes.contains(sha256(Files.readAllBytes(p)))) {
          problems.add(name + " on disk is no complete version (" + Files.size(p) + " bytes)");
        }
      }
    } catch (IOException e) {
      problems.add("reading " + root.get() + ": " + e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A control connection by hand, clear text, with the data channel of each kind. */
  private static final class Client implements AutoCloseable {
    private final Soak soak;
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private Set<String> features = Set.of();
    private boolean closed;

    private Client(Soak soak) throws IOException {
      this.soak = soak;
      socket = new Socket();
      socket.connect(new InetSocketAddress(soak.host, soak.port), (int) soak.stepTimeout.toMillis());
      socket.setSoTimeout((int) soak.stepTimeout.toMillis());
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    static Client login(Soak soak) throws IOException {
      var c = new Client(soak);
      c.expect(220);
      c.send("USER " + soak.user).expect(331);
      c.send("PASS " + soak.password).expect(230);
      c.send("TYPE I").expect(200);
      c.send("FEAT");
      var lines = c.replyLines();
      c.features = lines.stream().map(String::trim).map(l -> l.split(" ")[0]).collect(Collectors.toSet());
      return c;
    }

    Client send(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return this;
    }

    private List<String> replyLines() throws IOException {
      var lines = new ArrayList<String>();
      String first = in.readLine();
      if (first == null) {
        throw new IOException("the server closed the control connection");
      }
      lines.add(first);
      if (first.length() > 3 && first.charAt(3) == '-') {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
          if (line.startsWith(first.substring(0, 3) + " ")) {
            break;
          }
        }
      }
      return lines;
    }

    int reply() throws IOException {
      return Integer.parseInt(replyLines().get(0).substring(0, 3));
    }

    String expect(int code) throws IOException {
      var lines = replyLines();
      if (!lines.get(0).startsWith(code + "")) {
        throw new IOException("expected " + code + ", got " + lines.get(0));
      }
      return String.join("\n", lines);
    }

    /** Prepares the data channel; the socket is opened once the transfer command is sent. */
    DataChannel prepare(Kind kind) throws IOException {
      return switch (kind) {
        case PASV -> {
          var m = PASV.matcher(send("PASV").expect(227));
          if (!m.find()) {
            throw new IOException("unreadable 227");
          }
          int p = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
          yield () -> connect(p);
        }
        case EPSV -> {
          var m = EPSV.matcher(send("EPSV").expect(229));
          if (!m.find()) {
            throw new IOException("unreadable 229");
          }
          int p = Integer.parseInt(m.group(1));
          yield () -> connect(p);
        }
        case SPSV -> {
          var m = SPSV.matcher(send("SPSV").expect(227));
          if (!m.find()) {
            throw new IOException("unreadable SPSV reply");
          }
          String id = m.group(1);
          yield () -> {
            var s = connect(soak.port);
            readLine(s);
            s.getOutputStream().write(("SPDT " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String line = readLine(s);
            if (!"200 DATA".equals(line)) {
              s.close();
              throw new IOException("SPDT answered " + line);
            }
            return s;
          };
        }
        case PORT, EPRT -> {
          InetAddress local = socket.getLocalAddress();
          var listener = new ServerSocket(0, 1, local);
          listener.setSoTimeout((int) soak.stepTimeout.toMillis());
          int p = listener.getLocalPort();
          String command = kind == Kind.PORT
              ? "PORT " + local.getHostAddress().replace('.', ',') + "," + (p >> 8) + "," + (p & 0xff)
              : "EPRT |" + (local instanceof java.net.Inet6Address ? 2 : 1) + "|" + local.getHostAddress() + "|" + p + "|";
          try {
            send(command).expect(200);
          } catch (IOException e) {
            listener.close();
            throw e;
          }
          yield () -> {
            try (listener) {
              var s = listener.accept();
              s.setSoTimeout((int) soak.stepTimeout.toMillis());
              return s;
            }
          };
        }
      };
    }

    private Socket connect(int dataPort) throws IOException {
      var s = new Socket();
      s.connect(new InetSocketAddress(soak.host, dataPort), (int) soak.stepTimeout.toMillis());
      s.setSoTimeout((int) soak.stepTimeout.toMillis());
      return s;
    }

    private static String readLine(Socket s) throws IOException {
      var line = new ByteArrayOutputStream();
      int b;
      while ((b = s.getInputStream().read()) != -1 && b != '\n') {
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.US_ASCII);
    }

    void reset() throws IOException {
      closed = true;
      socket.setSoLinger(true, 0);
      socket.close();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Opens a prepared data connection. */
  @FunctionalInterface
  private interface DataChannel {
    Socket open() throws IOException;
  }
}
