package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.config.OptionValues;
import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.DisposableFtpServer;
import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.Authenticator;
import dev.keyhole.ftp.server.auth.CachingUserStore;
import dev.keyhole.ftp.server.auth.JdbcUserStore;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.StoreAuthenticator;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.server.auth.UserLimits;
import dev.keyhole.ftp.server.auth.UserStore;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder;
import dev.keyhole.ftp.server.tls.TlsCertificate;
import dev.keyhole.ftp.server.tls.TlsSettings;
import dev.keyhole.ftp.transport.DataChannelKind;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.netty.DisposableServer;

/** {@code keyhole serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Run the FTP server until interrupted (Ctrl-C or SIGTERM: the node drains, its transfers finish within --drain-timeout).",
      "With no options: 127.0.0.1:2121, root ./ftp-root, user 'keyhole' with a random password."})
final class ServeCommand implements Callable<Integer> {

  private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (docs/configuration.md)")
  @Nullable Path config;

  @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on, IPv4 or IPv6, optionally with :port; repeatable (default 127.0.0.1)")
  List<String> bind = new ArrayList<>();

  @Option(names = "--user", paramLabel = "NAME:PASSWORD",
      description = "a user with all permissions, rooted at --root; repeatable. A password on the command line is "
          + "visible in ps: NAME:env:VARIABLE reads it from an environment variable, NAME:file:PATH from a file's "
          + "first line")
  List<String> users = new ArrayList<>();

  @Option(names = "--single-port", description = "offer SPSV only: the server needs exactly one open port (same as --data-channels spsv)")
  boolean singlePort;

  /** Alternative flags of declared options, kept for the command lines that use them. */
  private static final Map<ConfigOption<?>, String> ALIASES = Map.of(ServerOptions.DATA_CONNECTION_TIMEOUT, "--data-timeout");

  /** The command as picocli parsed it; null when a test made the command itself. */
  @Spec @Nullable CommandSpec spec;

  /** The password made for 'keyhole' when no user is configured, kept across reloads. */
  private @Nullable String generatedPassword;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

  /** Values given as text for declared options, when no command line was parsed (tests). */
  final Map<ConfigOption<?>, String> given = new LinkedHashMap<>();

  /**
   * Adds a flag for every declared option (the server's and the command's) to the command:
   * {@code --max-sessions N}, with the option's description and default.
   */
  static void addDeclaredOptions(CommandSpec serve) {
    DeclaredOptions.add(serve, declared(), ALIASES);
  }

  private static List<ConfigOption<?>> declared() {
    var all = new ArrayList<ConfigOption<?>>(ServeOptions.ALL);
    all.addAll(ServerOptions.ALL);
    return all;
  }

  /** The file's values with the command line's over them. */
  private OptionValues values(ConfigFile file) {
    var given = spec == null ? this.given : DeclaredOptions.given(spec, declared());
    return DeclaredOptions.over(file.options(), given);
  }

  private static <T> FtpServer apply(FtpServer server, OptionValues values, ConfigOption<T> option) {
    return values.isSet(option) ? server.option(option, values.get(option)) : server;
  }

  /**
   * What the options and the configuration file configure, checked, before anything is created or
   * bound: an invalid value fails here with {@link IllegalArgumentException} naming it.
   */
  record Configured(FtpServer server, Path rootDir, @Nullable String generatedPassword, boolean anonymous,
      @Nullable Integer metricsPort, List<InetSocketAddress> addresses, @Nullable Path logFile, String logFormat,
      @Nullable Path xferlog, List<String> users) {}

  @Override
  public Integer call() throws Exception {
    var file = config == null ? ConfigFile.empty() : readConfig(config);
    var configured = configure(file);
    createRoot(configured.rootDir());
    var logs = LogFile.open(configured.logFile(), configured.logFormat());
    return serve(configured, logs);
  }

  /** A user's own rates and quotas, each parsed as its server-wide option is. */
  static UserLimits limits(ConfigFile.UserEntry u) {
    return new UserLimits(own(u, u.downloadRate(), ServerOptions.DOWNLOAD_RATE),
        own(u, u.uploadRate(), ServerOptions.UPLOAD_RATE), own(u, u.quotaBytes(), ServerOptions.USER_QUOTA_BYTES),
        own(u, u.quotaFiles(), ServerOptions.USER_QUOTA_FILES));
  }

  private static OptionalLong own(ConfigFile.UserEntry u, @Nullable String text, ConfigOption<Long> option) {
    try {
      return own(text, option);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("user '" + u.name() + "': " + e.getMessage());
    }
  }

  private static OptionalLong own(@Nullable String text, ConfigOption<Long> option) {
    return text == null ? OptionalLong.empty() : OptionalLong.of(option.parse(text));
  }

  /** A user of the file that has a name, a bcrypt hash and known permissions; {@link IllegalArgumentException} if not. */
  static void check(ConfigFile.@Nullable UserEntry u) {
    if (u == null || u.name() == null || u.name().isBlank()) {
      throw new IllegalArgumentException("a user has no name");
    }
    if (u.password() == null) {
      throw new IllegalArgumentException("user '" + u.name() + "' has no password (make a hash with keyhole passwd)");
    }
    try {
      PasswordHash.bcrypt(u.password());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("user '" + u.name() + "': the password is not a bcrypt hash (make one with "
          + "keyhole passwd)");
    }
    permissions(u.permissions());
    limits(u);
  }

  /**
   * The password of a {@code --user}: given, or read from an environment variable
   * ({@code env:VARIABLE}) or the first line of a file ({@code file:PATH}), which {@code ps} does
   * not show; {@link IllegalArgumentException} for an empty or unreadable one.
   */
  static String password(String user, String spec) {
    String password;
    if (spec.startsWith("env:")) {
      String variable = spec.substring(4);
      password = System.getenv(variable);
      if (password == null) {
        throw new IllegalArgumentException("--user " + user + ": environment variable " + variable + " is not set");
      }
    } else if (spec.startsWith("file:")) {
      Path file = Path.of(spec.substring(5));
      try {
        var lines = Files.readAllLines(file);
        password = lines.isEmpty() ? "" : lines.get(0);
      } catch (IOException e) {
        throw new IllegalArgumentException("--user " + user + ": cannot read " + file);
      }
    } else {
      password = spec;
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("--user " + user + ": the password is empty");
    }
    return password;
  }

  /**
   * SIGHUP: reads the configuration file again and applies it to the running server (users,
   * limits, bans settings, bandwidth, TLS certificate, banner, ...), the command line's options
   * still over it; sessions and transfers that run go on. A file that does not check, or a change
   * that needs a restart (bind addresses, implicit-FTPS port), is logged and the running
   * configuration stays. The log destination, log format and xferlog are the ones started with.
   */
  private void reload(DisposableFtpServer running, dev.keyhole.ftp.server.metrics.FtpMetricsRecorder recorder) {
    if (config == null) {
      log.info("SIGHUP: logs reopened; no configuration file to read again (--config)");
      return;
    }
    try {
      var next = configure(readConfig(config));
      createRoot(next.rootDir());
      running.reconfigure(next.server().metrics(recorder).configuration());
      log.info("configuration reloaded from {}", config);
    } catch (IllegalArgumentException | IOException e) {
      log.warn("configuration not reloaded from {}: {}; the running one stays", config, KeyholeCli.describe(e));
    } catch (RuntimeException e) {
      log.error("configuration not reloaded from {}; the running one stays", config, e);
    }
  }

  /**
   * The served directory, made if missing, but only the last step: a typing mistake in a parent
   * would otherwise make a whole tree; {@link IllegalArgumentException} for a file or a missing parent.
   */
  static void createRoot(Path root) throws IOException {
    if (Files.isDirectory(root)) {
      return;
    }
    if (Files.exists(root)) {
      throw new IllegalArgumentException("--root " + root + ": not a directory");
    }
    Path parent = root.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException("--root " + root + ": " + parent + " does not exist");
    }
    Files.createDirectory(root);
  }

  /** The configuration file, or {@link IllegalArgumentException} naming the file and what is wrong. */
  static ConfigFile readConfig(Path path) {
    try {
      return ConfigFile.read(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(path + ": no such file");
    } catch (ConfigFile.Problem e) {
      throw new IllegalArgumentException(path + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage());
    }
  }

  /** A virtual host of the file: its users under its root (relative roots under the server's). */
  private static VirtualHost virtualHost(ConfigFile.HostEntry entry, Path serverRoot, @Nullable UserStore store,
      Duration cache) {
    Path root = serverRoot.resolve(entry.root()).normalize();
    UserLimits hostLimits;
    try {
      hostLimits = new UserLimits(own(entry.downloadRate(), ServerOptions.DOWNLOAD_RATE),
          own(entry.uploadRate(), ServerOptions.UPLOAD_RATE), own(entry.quotaBytes(), ServerOptions.USER_QUOTA_BYTES),
          own(entry.quotaFiles(), ServerOptions.USER_QUOTA_FILES));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("host '" + entry.name() + "': " + e.getMessage(), e);
    }
    var accounts = new ArrayList<UserAccount>();
    for (var u : entry.users() == null ? List.<ConfigFile.UserEntry>of() : entry.users()) {
      Path home = u.home() == null ? root : root.resolve(u.home()).normalize();
      accounts.add(new UserAccount(u.name(), PasswordHash.bcrypt(u.password()), home, permissions(u.permissions()),
          limits(u).orElse(hostLimits)));
    }
    // a host without users of its own takes its accounts from its own store, or the server's under its name
    UserStore hostStore = entry.userStore() != null ? userStore(entry.userStore(), null, cache) : store;
    Authenticator authenticator = entry.users() == null && hostStore != null
        ? new StoreAuthenticator(withLimits(hostStore, hostLimits), entry.userStore() != null ? UserStore.DEFAULT_HOST
            : entry.name().toLowerCase(Locale.ROOT))
        : new AccountAuthenticator(accounts, Optional.empty());
    var host = VirtualHost.of(entry.name(), authenticator, FileSystemFactory.jailed())
        .withAliases(entry.aliases() == null ? new String[0] : entry.aliases().toArray(String[]::new));
    if (entry.banner() != null) {
      host = host.withBanner(entry.banner());
    }
    if (entry.tlsCert() != null) {
      host = host.withCertificate(new TlsCertificate.PemFiles(Path.of(entry.tlsCert()), Path.of(entry.tlsKey())));
    }
    return Boolean.TRUE.equals(entry.isDefault()) ? host.asDefault() : host;
  }

  /**
   * The user store of {@code --users}, if given: Keyhole's own table (made when missing) or an
   * existing one read with {@code --users-query}, behind a cache of {@code --users-cache}.
   */
  private static @Nullable UserStore userStore(OptionValues values) {
    var url = values.find(ServeOptions.USER_STORE);
    if (url.isEmpty()) {
      if (values.find(ServeOptions.USERS_QUERY).isPresent()) {
        throw new IllegalArgumentException("--users-query needs --users");
      }
      return null;
    }
    return userStore(url.get(), values.find(ServeOptions.USERS_QUERY).orElse(null), values.get(ServeOptions.USERS_CACHE));
  }

  /** A user store: Keyhole's table at {@code url} (made when missing), or an existing one read with {@code query}. */
  private static UserStore userStore(String url, @Nullable String query, Duration cache) {
    ServeOptions.jdbcUrl(url);
    JdbcUserStore jdbc = query != null ? JdbcUserStore.withQuery(url, query) : JdbcUserStore.of(url);
    if (query == null) {
      try {
        jdbc.createTable();
      } catch (IOException e) {
        throw new IllegalArgumentException("user store " + jdbc + ": " + e.getMessage(), e);
      }
    }
    return cache.isZero() ? jdbc : new CachingUserStore(jdbc, cache, 100_000);
  }

  /** A store whose accounts take a virtual host's limits where they have none of their own. */
  private static UserStore withLimits(UserStore store, UserLimits defaults) {
    if (defaults.equals(UserLimits.SERVER_DEFAULTS)) {
      return store;
    }
    return (host, name) -> store.find(host, name).map(a -> new UserAccount(a.name(), a.password(), a.home(),
        a.permissions(), a.limits().orElse(defaults)));
  }

  Configured configure(ConfigFile file) {
    var values = values(file);
    Path rootDir = Path.of(values.get(ServeOptions.ROOT)).toAbsolutePath().normalize();

    var accounts = new ArrayList<UserAccount>();
    if (file.users() != null) {
      for (var u : file.users()) {
        check(u);
        Path home = u.home() == null ? rootDir : rootDir.resolve(u.home()).normalize();
        accounts.add(new UserAccount(u.name(), PasswordHash.bcrypt(u.password()), home, permissions(u.permissions()),
            limits(u)));
      }
    }
    for (String spec : users) {
      int colon = spec.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("--user takes NAME:PASSWORD, NAME:env:VARIABLE or NAME:file:PATH, got '"
            + spec + "'");
      }
      String name = spec.substring(0, colon);
      accounts.add(new UserAccount(name, PasswordHash.plain(password(name, spec.substring(colon + 1))), rootDir,
          EnumSet.allOf(Permission.class)));
    }
    UserStore store = userStore(values);
    if (store != null && !accounts.isEmpty()) {
      throw new IllegalArgumentException("--users (a user store) excludes users in the file and --user");
    }
    String generated = null;
    if (accounts.isEmpty() && store == null) {
      // a reload keeps the password printed at start
      generated = generatedPassword != null ? generatedPassword : randomPassword();
      generatedPassword = generated;
      accounts.add(new UserAccount("keyhole", PasswordHash.plain(generated), rootDir, EnumSet.allOf(Permission.class)));
    }
    boolean anon = values.get(ServeOptions.ANONYMOUS);

    int defaultPort = values.get(ServeOptions.PORT);
    List<String> bindSpecs = !bind.isEmpty() ? bind : file.bind() != null ? file.bind() : List.of("127.0.0.1");
    var addresses = bindSpecs.stream().map(s -> bindAddress(s, defaultPort)).toList();

    if (singlePort && values.isSet(ServerOptions.DATA_CHANNELS)) {
      throw new IllegalArgumentException("--single-port and --data-channels exclude each other");
    }
    if (singlePort) {
      values = values.with(ServerOptions.DATA_CHANNELS, Set.of(DataChannelKind.SPSV));
    }
    var server = FtpServer.create()
        .bindAddresses(addresses)
        .authenticator(store != null
            ? new StoreAuthenticator(store, UserStore.DEFAULT_HOST, anon ? Optional.of(rootDir) : Optional.empty())
            : new AccountAuthenticator(accounts, anon ? Optional.of(rootDir) : Optional.empty()));
    for (var option : ServerOptions.ALL) {
      server = apply(server, values, option);
    }

    for (var host : file.hosts()) {
      server = server.virtualHost(virtualHost(host, rootDir, store, values.get(ServeOptions.USERS_CACHE)));
    }

    var tlsSettings = tlsSettings(values, file.tlsSection(), addresses);
    if (tlsSettings.isPresent()) {
      server = server.tls(tlsSettings.get());
    }
    return new Configured(server, rootDir, generated, anon, values.find(ServeOptions.METRICS_PORT).orElse(null),
        addresses, values.find(ServeOptions.LOG_FILE).orElse(null), values.get(ServeOptions.LOG_FORMAT),
        values.find(ServeOptions.XFERLOG).orElse(null), accounts.stream().map(UserAccount::name).toList());
  }

  private Integer serve(Configured configured, LogFile logs) throws Exception {
    var server = configured.server();
    var addresses = configured.addresses();
    var rootDir = configured.rootDir();
    var generated = configured.generatedPassword();
    var anon = configured.anonymous();
    Integer metrics = configured.metricsPort();
    PrometheusMeterRegistry registry = null;
    if (metrics != null) {
      registry = MetricsEndpoint.registry();
      server = server.metrics(new MicrometerFtpMetricsRecorder(registry));
    }
    var recorder = server.configuration().metrics();

    DisposableFtpServer running = server.bindNow();
    var training = AotTraining.requested();
    if (training.isPresent()) {
      // the launcher's training run for the JDK's ahead-of-time cache: serve, then exit
      AotTraining.run(running, training.get());
      running.disposeNow();
      return 0;
    }
    var xferlog = configured.xferlog() == null ? null : XferLog.start(configured.xferlog(), running.events());
    Hangup.install(() -> {
      logs.reopen();
      if (xferlog != null) {
        xferlog.reopen();
      }
      reload(running, recorder);
    });
    DisposableServer metricsServer = registry == null ? null
        : MetricsEndpoint.start(addresses.get(0).getAddress().getHostAddress(), metrics, registry, running::openSessions,
            running::isDraining);

    printBanner(running, rootDir, generated, anon, metricsServer);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      var drain = running.configuration().get(ServerOptions.DRAIN_TIMEOUT);
      System.out.println("Draining: /health answers 503, sessions end after their transfers, at most "
          + drain.toSeconds() + " s.");
      // the health endpoint stays up while draining: the balancer must see the 503
      running.drainNow(drain);
      if (metricsServer != null) {
        metricsServer.disposeNow();
      }
      stopped.countDown();
    }, "keyhole-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * FTPS from the options (the command line's over the file's {@code tls} section): explicit with
   * {@code --tls} or a {@code tls} section, implicit with {@code --implicit-tls-port}; empty with
   * neither, and then any other TLS option is a mistake.
   */
  static Optional<TlsSettings> tlsSettings(OptionValues values, boolean tlsSection, List<InetSocketAddress> addresses) {
    var implicitPort = values.find(ServeOptions.IMPLICIT_TLS_PORT);
    boolean explicit = values.get(ServeOptions.TLS)
        || (tlsSection && !(values.isSet(ServeOptions.TLS) && !values.get(ServeOptions.TLS)));
    boolean required = values.get(ServeOptions.REQUIRE_TLS);
    boolean reuse = values.get(ServeOptions.REQUIRE_TLS_SESSION_REUSE);
    boolean anonymousToo = values.get(ServeOptions.REQUIRE_TLS_ANONYMOUS);
    var cert = values.find(ServeOptions.TLS_CERT);
    var key = values.find(ServeOptions.TLS_KEY);
    if (!explicit && implicitPort.isEmpty()) {
      if (required || reuse || anonymousToo || cert.isPresent() || key.isPresent()) {
        throw new IllegalArgumentException("TLS options need --tls or --implicit-tls-port");
      }
      return Optional.empty();
    }
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    TlsCertificate certificate = cert.isPresent()
        ? new TlsCertificate.PemFiles(cert.get(), key.get())
        : new TlsCertificate.SelfSigned(values.get(ServeOptions.TLS_DIR));
    var implicitAddresses = implicitPort.isEmpty() ? List.<InetSocketAddress>of()
        : addresses.stream().map(a -> new InetSocketAddress(a.getAddress(), implicitPort.get())).toList();
    return Optional.of(TlsSettings.explicit(certificate)
        .withImplicitAddresses(implicitAddresses)
        .withExplicit(explicit)
        .withRequireTls(required, anonymousToo)
        .withRequireSessionReuse(reuse)
        .withHandshakeTimeout(values.get(ServeOptions.TLS_HANDSHAKE_TIMEOUT)));
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
    var kinds = server.configuration().get(ServerOptions.DATA_CHANNELS);
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
      int p = s.length() > close + 1 && s.charAt(close + 1) == ':' ? bindPort(spec, s.substring(close + 2)) : defaultPort;
      return new InetSocketAddress(literal(host), p);
    }
    int colon = s.lastIndexOf(':');
    if (colon > 0 && s.indexOf(':') == colon) {
      return new InetSocketAddress(literal(s.substring(0, colon)), bindPort(spec, s.substring(colon + 1)));
    }
    return new InetSocketAddress(literal(s), defaultPort);
  }

  private static int bindPort(String spec, String port) {
    try {
      return ServeOptions.port(port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--bind " + spec + ": " + e.getMessage());
    }
  }

  private static InetAddress literal(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + host + ": not an IP address or a known host name");
    }
  }

  static Set<Permission> permissions(@Nullable List<String> names) {
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
        throw new IllegalArgumentException("unknown permission '" + n + "' (permissions are read, write, delete, rename, mkdir)");
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
