package dev.keyhole.ftp.load;

import dev.keyhole.ftp.server.tls.TlsCertificate;
import dev.keyhole.ftp.server.tls.TlsSettings;
import dev.keyhole.ftp.server.tls.internal.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
    APACHE_FTPSERVER("apache-ftpserver"),
    VSFTPD("vsftpd"),
    PURE_FTPD("pure-ftpd"),
    PYFTPDLIB("pyftpdlib");

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
      throw new IllegalArgumentException(
          "unknown peer '" + name + "' (keyhole, apache-ftpserver, vsftpd, pure-ftpd, pyftpdlib)");
    }
  }

  /**
   * A peer to start: a server, in clear or with explicit FTPS ({@code keyhole+tls}): AUTH TLS and
   * PROT P, TLS session reuse required of data connections as vsftpd requires it by default.
   */
  record Spec(Kind kind, boolean tls) {

    static Spec parse(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      boolean tls = n.endsWith("+tls");
      return new Spec(Kind.parse(tls ? n.substring(0, n.length() - 4) : n), tls);
    }

    String label() {
      return kind.label + (tls ? "+tls" : "");
    }
  }

  /** A peer that is not installed on this machine: the run skips it. */
  static final class Unavailable extends IOException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  final Kind kind;
  final boolean tls;
  final int port;
  final Path root;
  private final String user;
  private final Process process;
  private long peakTreeRss;

  private Peer(Kind kind, boolean tls, int port, Path root, String user, Process process) {
    this.kind = kind;
    this.tls = tls;
    this.port = port;
    this.root = root;
    this.user = user;
    this.process = process;
  }

  /**
   * Starts a peer and waits (at most 60 s) until it greets. A port found free can be taken by an
   * outgoing connection before the peer binds it: then the start is tried again on another port.
   */
  static Peer start(Spec spec, Path work) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(spec.kind(), spec.tls(), work);
      } catch (Unavailable e) {
        throw e;
      } catch (IOException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The server's process id: its resources are what the soak scenario watches. */
  long pid() {
    return process.pid();
  }

  private static Peer startOnce(Kind kind, boolean tls, Path work) throws IOException, InterruptedException {
    int port = freePort();
    Path tlsDir = work.resolve("tls");
    if (tls) {
      // the certificate Keyhole would make for itself, for the other servers too
      ServerTls.create(TlsSettings.explicit(new TlsCertificate.SelfSigned(tlsDir)));
    }
    Path root = Files.createDirectories(work.resolve(kind.label + "-root"));
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    // set by `./keyhole load`: the launcher that starts the keyhole peer
    String launcher = System.getProperty("keyhole.launcher");
    var jvm = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx2g", "-cp", classpath);
    var command = new ArrayList<String>();
    String user = USER;
    switch (kind) {
      case KEYHOLE -> {
        if (launcher != null) {
          // as an operator runs it: the launcher raises the open-files limit and brings the
          // ahead-of-time cache (JDK 25+); it execs the JVM, so the process measured is the server
          command.addAll(List.of(launcher, "serve"));
        } else {
          command.addAll(jvm);
          command.add("dev.keyhole.ftp.cli.KeyholeCli");
          command.add("serve");
        }
        command.addAll(List.of("--port", String.valueOf(port),
            "--root", root.toString(), "--user", USER + ":" + PASSWORD, "--max-sessions", "20000",
            "--idle-timeout", "10m"));
        if (tls) {
          command.addAll(List.of("--tls", "--tls-dir", tlsDir.toString(), "--require-tls-session-reuse"));
        }
        // more serve options, to compare settings (KEYHOLE_SERVE_OPTS=--direct-uploads), as curl-bench.sh takes them
        String more = System.getenv("KEYHOLE_SERVE_OPTS");
        if (more != null && !more.isBlank()) {
          command.addAll(List.of(more.trim().split("\\s+")));
        }
      }
      case APACHE_FTPSERVER -> {
        if (tls) {
          throw new Unavailable("the harness has no TLS setup for apache-ftpserver");
        }
        command.addAll(jvm);
        command.addAll(List.of(ApachePeerMain.class.getName(), String.valueOf(port), root.toString(), USER, PASSWORD));
      }
      case VSFTPD -> {
        // run as the launching user with a writable anonymous root: no system account needed
        user = "anonymous";
        Path conf = work.resolve("vsftpd.conf");
        Files.writeString(conf, String.join("\n",
            "listen=YES", "listen_address=127.0.0.1", "listen_port=" + port, "background=NO",
            "run_as_launching_user=YES", "anonymous_enable=YES", "anon_root=" + root, "no_anon_password=YES",
            "write_enable=YES", "anon_upload_enable=YES", "anon_mkdir_write_enable=YES",
            "anon_other_write_enable=YES", "anon_umask=022", "local_enable=NO", "allow_writeable_chroot=YES",
            "seccomp_sandbox=NO", "max_clients=0", "max_per_ip=0", "connect_from_port_20=NO",
            "xferlog_enable=NO", "use_sendfile=YES", "idle_session_timeout=600",
            tls ? "ssl_enable=YES\nallow_anon_ssl=YES\nforce_anon_logins_ssl=YES\nforce_anon_data_ssl=YES\n"
                + "ssl_ciphers=HIGH\nrequire_ssl_reuse=YES\n"
                + "rsa_cert_file=" + tlsDir.resolve("cert.pem") + "\nrsa_private_key_file=" + tlsDir.resolve("key.pem") : "",
            ""));
        command.addAll(List.of(executable("vsftpd"), conf.toString()));
      }
      case PURE_FTPD -> {
        Path passwd = work.resolve("pureftpd.passwd");
        Path db = work.resolve("pureftpd.pdb");
        root.toFile().setWritable(true, false);
        var pw = new ProcessBuilder(executable("pure-pw"), "useradd", USER, "-u", "nobody", "-d", root.toString(),
            "-f", passwd.toString(), "-m", "-F", db.toString()).redirectErrorStream(true).start();
        pw.getOutputStream().write((PASSWORD + "\n" + PASSWORD + "\n").getBytes(StandardCharsets.US_ASCII));
        pw.getOutputStream().close();
        pw.waitFor(10, TimeUnit.SECONDS);
        fastPureFtpdHash(passwd, db);
        command.addAll(List.of(executable("pure-ftpd"), "-S", "127.0.0.1," + port, "-l", "puredb:" + db, "-E", "-H",
            "-A", "-c", "20000", "-C", "20000"));
        if (tls) {
          command.addAll(List.of("-Y", "2", "-2", tlsDir.resolve("cert.pem") + "," + tlsDir.resolve("key.pem")));
        }
      }
      case PYFTPDLIB -> {
        if (tls) {
          throw new Unavailable("the harness has no TLS setup for pyftpdlib (it needs pyOpenSSL)");
        }
        // a script of ours: `-m pyftpdlib` cannot raise its 512-connection cap
        Path script = work.resolve("pyftpdlib_peer.py");
        try (var in = Peer.class.getResourceAsStream("/peers/pyftpdlib_peer.py")) {
          if (in == null) {
            throw new Unavailable("pyftpdlib_peer.py is missing from the load generator's resources");
          }
          Files.write(script, in.readAllBytes());
        }
        command.addAll(List.of(python(), script.toString(), String.valueOf(port), root.toString(), USER, PASSWORD));
      }
    }
    var builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(kind.label + ".log").toFile());
    builder.environment().put("KEYHOLE_LOG_LEVEL", "WARN");
    // the launcher's JVM options: the heap the other JVM peers get, not the load generator's own
    builder.environment().put("KEYHOLE_JAVA_OPTS", "-Xmx2g");
    var peer = new Peer(kind, tls, port, root, user, builder.start());
    peer.awaitGreeting();
    return peer;
  }

  /**
   * pure-pw hashes with argon2id at 1023 iterations and 8 MiB: every login then costs the server
   * about 3.8 CPU seconds (strace: an 8 MiB MAP_POPULATE, then nothing for 3.8 s), which is what
   * made the pure-ftpd peer look slow. The other peers check plain or anonymous passwords, so the
   * user gets a SHA-512-crypt hash (`openssl passwd -6`), which pure-ftpd accepts too, and the
   * database is rebuilt. Without openssl the argon2 hash stays, and the log says so.
   */
  private static void fastPureFtpdHash(Path passwd, Path db) throws IOException, InterruptedException {
    Process openssl;
    try {
      openssl = new ProcessBuilder("openssl", "passwd", "-6", "-salt", "keyholeload", PASSWORD).start();
    } catch (IOException e) {
      System.err.println("pure-ftpd peer: no openssl, logins keep pure-pw's slow argon2 hash");
      return;
    }
    String hash = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    if (!openssl.waitFor(10, TimeUnit.SECONDS) || openssl.exitValue() != 0 || !hash.startsWith("$6$")) {
      System.err.println("pure-ftpd peer: openssl passwd failed, logins keep pure-pw's slow argon2 hash");
      return;
    }
    var lines = new ArrayList<String>();
    for (String line : Files.readAllLines(passwd)) {
      String[] fields = line.split(":", -1);
      if (fields.length > 2 && fields[0].equals(USER)) {
        fields[1] = hash;
        line = String.join(":", fields);
      }
      lines.add(line);
    }
    Files.write(passwd, lines);
    var mkdb = new ProcessBuilder(executable("pure-pw"), "mkdb", db.toString(), "-f", passwd.toString())
        .redirectErrorStream(true).start();
    mkdb.getInputStream().readAllBytes();
    mkdb.waitFor(10, TimeUnit.SECONDS);
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

  /**
   * CPU seconds the peer has used so far, from /proc: its own and its finished children's, and
   * those of its live descendants with their own finished children's (vsftpd and pure-ftpd run a
   * process per session, and vsftpd's session process forks again). A finished process's time
   * moves into its parent's children's time when the parent reaps it, so a live session's reaped
   * helpers count through the session until the session itself is reaped, and never twice.
   */
  double cpuSeconds() {
    return treeCpuSeconds(process.toHandle());
  }

  /**
   * CPU seconds of a process and its live descendants, each with its reaped children. A descendant
   * that exits between the listing and the read counts nothing: its CPU is its parent's once
   * reaped (forked servers lose sessions all the time; one such read made a whole run's CPU NaN).
   */
  static double treeCpuSeconds(ProcessHandle root) {
    double total = ProcStats.cpuSeconds(root.pid(), true);
    for (var child : (Iterable<ProcessHandle>) root.descendants()::iterator) {
      double seconds = ProcStats.cpuSeconds(child.pid(), true);
      if (!Double.isNaN(seconds)) {
        total += seconds;
      }
    }
    return total;
  }

  /** Samples the memory (PSS) of the peer's whole process tree; keeps the largest. */
  synchronized void sampleRss() {
    long total = ProcStats.memory(process.pid()).orElse(0L);
    for (var child : (Iterable<ProcessHandle>) process.descendants()::iterator) {
      total += ProcStats.memory(child.pid()).orElse(0L);
    }
    peakTreeRss = Math.max(peakTreeRss, total);
  }

  /** The largest sampled resident memory of the process tree, or the main process's own peak. */
  synchronized Optional<Long> peakRss() {
    long own = ProcStats.peakRss(process.pid()).orElse(0L);
    long peak = Math.max(own, peakTreeRss);
    return peak == 0 ? Optional.empty() : Optional.of(peak);
  }

  String url() {
    return (tls ? "ftpes://" : "ftp://") + user + ":" + PASSWORD + "@127.0.0.1:" + port + "/";
  }

  private static String executable(String name) throws Unavailable {
    var dirs = new ArrayList<String>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
    String peers = System.getProperty("keyhole.peers.dir");
    if (peers != null) {
      dirs.add(peers + "/pure-ftpd/usr/sbin");
      dirs.add(peers + "/pure-ftpd/usr/bin");
    }
    for (String dir : dirs) {
      Path p = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new Unavailable(name + " is not installed (load-tests/peers/install.sh installs the peers)");
  }

  private static String python() throws Unavailable {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        var p = new ProcessBuilder(candidate, "-c", "import pyftpdlib").redirectErrorStream(true).start();
        if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException | InterruptedException e) {
        // try the next one
      }
    }
    throw new Unavailable("pyftpdlib is not installed (load-tests/peers/install.sh installs the peers)");
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
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
