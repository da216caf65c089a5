package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.DisposableFtpServer;
import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder;
import dev.keyhole.ftp.server.tls.TlsCertificate;
import dev.keyhole.ftp.server.tls.TlsSettings;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.PortRange;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.netty.DisposableServer;

/** {@code keyhole serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Run the FTP server until interrupted (Ctrl-C or SIGTERM: running transfers get a grace period).",
      "With no options: 127.0.0.1:2121, root ./ftp-root, user 'keyhole' with a random password."})
final class ServeCommand implements Callable<Integer> {

  private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (docs/configuration.md)")
  @Nullable Path config;

  @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on, IPv4 or IPv6, optionally with :port; repeatable (default 127.0.0.1)")
  List<String> bind = new ArrayList<>();

  @Option(names = "--port", paramLabel = "N", description = "port for --bind addresses without one; 0 picks a free port (default 2121)")
  @Nullable Integer port;

  @Option(names = "--root", paramLabel = "DIR", description = "directory served, created if missing (default ./ftp-root)")
  @Nullable Path root;

  @Option(names = "--user", paramLabel = "NAME:PASSWORD", description = "a user with all permissions, rooted at --root; repeatable")
  List<String> users = new ArrayList<>();

  @Option(names = "--anonymous", description = "let 'anonymous' and 'ftp' log in read-only with any password")
  boolean anonymous;

  @Option(names = "--max-sessions", paramLabel = "N", description = "sessions at once; more are greeted 421 (default 2000)")
  @Nullable Integer maxSessions;

  @Option(names = "--max-sessions-per-ip", paramLabel = "N", description = "sessions at once from one address; 0 = no limit (default 0)")
  @Nullable Integer maxSessionsPerIp;

  @Option(names = "--passive-ports", paramLabel = "A-B", description = "port range for PASV/EPSV (default: 10000 up to the kernel's ephemeral range)")
  @Nullable String passivePorts;

  @Option(names = "--public-address", paramLabel = "ADDR", description = "IPv4 address announced in PASV replies, for NAT")
  @Nullable String publicAddress;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "close sessions with no command and no transfer after this (default 5m)")
  @Nullable String idleTimeout;

  @Option(names = "--data-timeout", paramLabel = "DURATION",
      description = "a data connection that does not arrive, connect or move a byte for this long fails (default 60s)")
  @Nullable String dataTimeout;

  @Option(names = "--login-timeout", paramLabel = "DURATION", description = "close connections not logged in after this (default 60s)")
  @Nullable String loginTimeout;

  @Option(names = "--data-channels", paramLabel = "LIST",
      description = "data-channel commands offered, of spsv,epsv,pasv,port,eprt (default: all)")
  @Nullable String dataChannels;

  @Option(names = "--single-port", description = "offer SPSV only: the server needs exactly one open port (same as --data-channels spsv)")
  boolean singlePort;

  @Option(names = "--keep-partial-uploads", description = "leave an interrupted upload under its final name (for REST resume)")
  boolean keepPartialUploads;

  @Option(names = "--tls", description = "offer explicit FTPS (AUTH TLS); without --tls-cert a self-signed certificate is made in --tls-dir")
  boolean tls;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain for FTPS")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert")
  @Nullable Path tlsKey;

  @Option(names = "--tls-dir", paramLabel = "DIR", description = "where the self-signed certificate is kept (default ~/.keyhole/tls)")
  @Nullable Path tlsDir;

  @Option(names = "--implicit-tls-port", paramLabel = "N", description = "also listen for implicit FTPS (TLS from connect, usually 990) on each bind address")
  @Nullable Integer implicitTlsPort;

  @Option(names = "--require-tls", description = "refuse login (530) and transfers (521) without TLS; anonymous users exempt")
  boolean requireTls;

  @Option(names = "--require-tls-anonymous", description = "with --require-tls: anonymous users too")
  boolean requireTlsAnonymous;

  @Option(names = "--require-tls-session-reuse", description = "data connections under TLS must resume the control connection's TLS session (522 otherwise)")
  boolean requireTlsSessionReuse;

  @Option(names = "--metrics-port", paramLabel = "N", description = "serve Prometheus /metrics and /health on this port")
  @Nullable Integer metricsPort;

  /**
   * What the options and the configuration file configure, checked, before anything is created or
   * bound: an invalid value fails here with {@link IllegalArgumentException} naming it.
   */
  record Configured(FtpServer server, Path rootDir, @Nullable String generatedPassword, boolean anonymous,
      @Nullable Integer metricsPort, List<InetSocketAddress> addresses) {}

  @Override
  public Integer call() throws Exception {
    var file = config == null ? ConfigFile.empty() : ConfigFile.read(config);
    var configured = configure(file);
    Files.createDirectories(configured.rootDir());
    return serve(configured);
  }

  Configured configure(ConfigFile file) {
    Path rootDir = (root != null ? root : Path.of(file.root() != null ? file.root() : "ftp-root")).toAbsolutePath().normalize();

    var accounts = new ArrayList<UserAccount>();
    if (file.users() != null) {
      for (var u : file.users()) {
        if (u == null || u.name() == null || u.name().isBlank()) {
          throw new IllegalArgumentException("a user in the configuration file has no name");
        }
        if (u.password() == null) {
          throw new IllegalArgumentException("user '" + u.name() + "' has no password (make a hash with ./keyhole passwd)");
        }
        Path home = u.home() == null ? rootDir : rootDir.resolve(u.home()).normalize();
        accounts.add(new UserAccount(u.name(), PasswordHash.bcrypt(u.password()), home, permissions(u.permissions())));
      }
    }
    for (String spec : users) {
      int colon = spec.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("--user takes NAME:PASSWORD, got '" + spec + "'");
      }
      accounts.add(new UserAccount(spec.substring(0, colon), PasswordHash.plain(spec.substring(colon + 1)), rootDir,
          EnumSet.allOf(Permission.class)));
    }
    String generated = null;
    if (accounts.isEmpty()) {
      generated = randomPassword();
      accounts.add(new UserAccount("keyhole", PasswordHash.plain(generated), rootDir, EnumSet.allOf(Permission.class)));
    }
    boolean anon = anonymous || Boolean.TRUE.equals(file.anonymous());

    int defaultPort = port != null ? port : file.port() != null ? file.port() : 2121;
    List<String> bindSpecs = !bind.isEmpty() ? bind : file.bind() != null ? file.bind() : List.of("127.0.0.1");
    var addresses = bindSpecs.stream().map(s -> bindAddress(s, defaultPort)).toList();

    var server = FtpServer.create()
        .bindAddresses(addresses)
        .authenticator(new AccountAuthenticator(accounts, anon ? Optional.of(rootDir) : Optional.empty()))
        .keepPartialUploads(keepPartialUploads || Boolean.TRUE.equals(file.keepPartialUploads()));
    server = apply(server, maxSessions, file.maxSessions(), FtpServer::maxSessions);
    server = apply(server, maxSessionsPerIp, file.maxSessionsPerIp(), FtpServer::maxSessionsPerIp);
    server = apply(server, passivePorts, file.passivePorts(), (s, v) -> s.passivePorts(PortRange.parse(v)));
    server = apply(server, publicAddress, file.publicAddress(), (s, v) -> s.publicAddress(literal(v)));
    server = apply(server, idleTimeout, file.idleTimeout(), (s, v) -> s.idleTimeout(Durations.parse(v)));
    server = apply(server, loginTimeout, file.loginTimeout(), (s, v) -> s.loginTimeout(Durations.parse(v)));
    server = apply(server, dataTimeout, file.dataConnectionTimeout(), (s, v) -> s.dataConnectionTimeout(Durations.parse(v)));
    server = apply(server, null, file.failedLoginDelay(), (s, v) -> s.failedLoginDelay(Durations.parse(v)));
    server = apply(server, null, file.maxLoginFailures(), FtpServer::maxLoginFailures);
    server = apply(server, null, file.allowForeignDataAddress(), FtpServer::allowForeignDataAddress);
    server = apply(server, null, file.allowLowDataPorts(), FtpServer::allowLowDataPorts);
    server = apply(server, null, file.banner(), FtpServer::banner);
    server = apply(server, null, file.spsvTimeout(), (s, v) -> s.spsvTimeout(Durations.parse(v)));
    server = apply(server, null, file.maxPendingSpsv(), FtpServer::maxPendingSpsv);
    server = apply(server, null, file.spdtFromAnyAddress(), FtpServer::spdtFromAnyAddress);
    if (singlePort && dataChannels != null) {
      throw new IllegalArgumentException("--single-port and --data-channels exclude each other");
    }
    server = apply(server, singlePort ? "spsv" : dataChannels, file.dataChannels(),
        (s, v) -> s.dataChannels(DataChannelKind.parse(v)));

    var tlsSettings = tlsSettings(file.tls(), addresses);
    if (tlsSettings.isPresent()) {
      server = server.tls(tlsSettings.get());
    }

    Integer metrics = metricsPort != null ? metricsPort : file.metricsPort();
    return new Configured(server, rootDir, generated, anon, metrics, addresses);
  }

  private Integer serve(Configured configured) throws Exception {
    var server = configured.server();
    var addresses = configured.addresses();
    var rootDir = configured.rootDir();
    var generated = configured.generatedPassword();
    var anon = configured.anonymous();
    Integer metrics = configured.metricsPort();
    PrometheusMeterRegistry registry = null;
    if (metrics != null) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      server = server.metrics(new MicrometerFtpMetricsRecorder(registry));
    }

    DisposableFtpServer running = server.bindNow();
    DisposableServer metricsServer = registry == null ? null
        : MetricsEndpoint.start(addresses.get(0).getAddress().getHostAddress(), metrics, registry, running::openSessions);

    printBanner(running, rootDir, generated, anon, metricsServer);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Shutting down: running transfers get " + running.configuration().shutdownGrace().toSeconds() + " s.");
      if (metricsServer != null) {
        metricsServer.disposeNow();
      }
      running.disposeNow();
      stopped.countDown();
    }, "keyhole-shutdown"));
    stopped.await();
    return 0;
  }

  /** FTPS from the options and the file's {@code tls} section; options win. */
  Optional<TlsSettings> tlsSettings(ConfigFile.@Nullable TlsEntry file, List<InetSocketAddress> addresses) {
    var f = file != null ? file : new ConfigFile.TlsEntry(null, null, null, null, null, null, null, null, null);
    Integer implicitPort = implicitTlsPort != null ? implicitTlsPort : f.implicitPort();
    boolean explicit = tls || (file != null && !Boolean.FALSE.equals(f.explicit()));
    boolean required = requireTls || Boolean.TRUE.equals(f.require());
    boolean reuse = requireTlsSessionReuse || Boolean.TRUE.equals(f.requireSessionReuse());
    boolean anonymousToo = requireTlsAnonymous || Boolean.TRUE.equals(f.requireForAnonymous());
    if (!explicit && implicitPort == null) {
      if (required || reuse || anonymousToo || tlsCert != null || tlsKey != null) {
        throw new IllegalArgumentException("TLS options need --tls or --implicit-tls-port");
      }
      return Optional.empty();
    }
    Path cert = tlsCert != null ? tlsCert : f.cert() != null ? Path.of(f.cert()) : null;
    Path key = tlsKey != null ? tlsKey : f.key() != null ? Path.of(f.key()) : null;
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    Path dir = tlsDir != null ? tlsDir
        : f.selfSignedDir() != null ? Path.of(f.selfSignedDir())
        : TlsSettings.defaultSelfSignedDirectory();
    TlsCertificate certificate = cert != null && key != null
        ? new TlsCertificate.PemFiles(cert, key)
        : new TlsCertificate.SelfSigned(dir);
    var implicitAddresses = implicitPort == null ? List.<InetSocketAddress>of()
        : addresses.stream().map(a -> new InetSocketAddress(a.getAddress(), implicitPort)).toList();
    var settings = TlsSettings.explicit(certificate)
        .withImplicitAddresses(implicitAddresses)
        .withExplicit(explicit)
        .withRequireTls(required, anonymousToo)
        .withRequireSessionReuse(reuse);
    if (f.handshakeTimeout() != null) {
      settings = settings.withHandshakeTimeout(Durations.parse(f.handshakeTimeout()));
    }
    return Optional.of(settings);
  }

  private static <T> FtpServer apply(FtpServer server, @Nullable T option, @Nullable T fromFile,
      BiFunction<FtpServer, T, FtpServer> setter) {
    T value = option != null ? option : fromFile;
    return value == null ? server : setter.apply(server, value);
  }

  private static void printBanner(DisposableFtpServer server, Path root, @Nullable String generated,
      boolean anonymous, @Nullable DisposableServer metrics) {
    var out = System.out;
    for (var address : server.addresses().subList(0, server.configuration().bindAddresses().size())) {
      out.println("Keyhole FTP server listening on " + url(address));
    }
    out.println("  root:      " + root);
    var first = server.address();
    if (generated != null) {
      out.println("  user:      keyhole");
      out.println("  password:  " + generated + "   (random, new at each start; set users with --user or --config)");
      out.println("  try:       curl " + url(first).replace("ftp://", "ftp://keyhole:" + generated + "@"));
    }
    if (anonymous) {
      out.println("  anonymous: read-only logins as 'anonymous' or 'ftp'");
    }
    server.tls().ifPresent(tls -> {
      var settings = tls.settings();
      for (var address : server.implicitTlsAddresses()) {
        out.println("  implicit:  ftps://" + hostForUrl(address.getAddress()) + ":" + address.getPort() + "/");
      }
      out.println("  tls:       " + (settings.explicit() ? "AUTH TLS offered" : "implicit only")
          + (settings.requireTls() ? ", required" + (settings.requireTlsForAnonymous() ? " for every user" : " (anonymous exempt)") : "")
          + (settings.requireSessionReuse() ? ", session reuse required" : "")
          + "; provider " + tls.provider());
      out.println("  cert:      SHA-256 " + tls.fingerprint()
          + (settings.certificate() instanceof TlsCertificate.SelfSigned self ? " (self-signed, " + self.directory() + ")" : ""));
    });
    var kinds = server.configuration().dataChannels();
    if (!kinds.containsAll(EnumSet.allOf(DataChannelKind.class))) {
      out.println("  data:      " + kinds.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).sorted().toList()
          + (kinds.equals(EnumSet.of(DataChannelKind.SPSV)) ? " (single port: this one port is all the server needs)" : ""));
    }
    if (metrics != null) {
      out.println("  metrics:   http://" + hostForUrl(((InetSocketAddress) metrics.address()).getAddress()) + ":"
          + ((InetSocketAddress) metrics.address()).getPort() + "/metrics");
    }
    out.flush();
  }

  private static String url(InetSocketAddress address) {
    return "ftp://" + hostForUrl(address.getAddress()) + ":" + address.getPort() + "/";
  }

  private static String hostForUrl(InetAddress address) {
    String host = AddressFormats.toText(address);
    return address instanceof Inet6Address ? "[" + host + "]" : host;
  }

  static InetSocketAddress bindAddress(String spec, int defaultPort) {
    String s = spec.trim();
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("bad --bind address: " + spec);
      }
      String host = s.substring(1, close);
      int p = s.length() > close + 1 && s.charAt(close + 1) == ':' ? Integer.parseInt(s.substring(close + 2)) : defaultPort;
      return new InetSocketAddress(literal(host), p);
    }
    int colon = s.lastIndexOf(':');
    if (colon > 0 && s.indexOf(':') == colon) {
      return new InetSocketAddress(literal(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1)));
    }
    return new InetSocketAddress(literal(s), defaultPort);
  }

  private static InetAddress literal(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown address: " + host);
    }
  }

  private static Set<Permission> permissions(@Nullable List<String> names) {
    if (names == null) {
      return EnumSet.allOf(Permission.class);
    }
    var set = EnumSet.noneOf(Permission.class);
    for (String n : names) {
      if (n == null) {
        throw new IllegalArgumentException("an empty permission; permissions are read, write, delete, rename, mkdir");
      }
      try {
        set.add(Permission.valueOf(n.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown permission '" + n + "'; permissions are read, write, delete, rename, mkdir");
      }
    }
    return set;
  }

  private static String randomPassword() {
    var random = new SecureRandom();
    var sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
