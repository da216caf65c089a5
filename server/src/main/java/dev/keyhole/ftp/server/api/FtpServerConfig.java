package dev.keyhole.ftp.server.api;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.config.OptionValues;
import dev.keyhole.ftp.server.auth.Authenticator;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder;
import dev.keyhole.ftp.server.tls.TlsSettings;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.resources.LoopResources;

/**
 * The server's read-only configuration, as Reactor Netty's {@code TcpServerConfig}: the values of
 * the {@link ServerOptions} ({@link #get}), and what is not a plain value: where to listen, who may
 * log in, the file system, TLS, meters, interceptors, event loops. Immutable: each {@code with}
 * method returns a copy; {@code FtpServer}'s methods are the way applications build one.
 */
public final class FtpServerConfig {

  private static final FtpServerConfig DEFAULTS = new FtpServerConfig(OptionValues.defaults(),
      List.of(new InetSocketAddress("127.0.0.1", 2121)), (name, password, remote) -> Mono.just(Optional.empty()),
      FileSystemFactory.jailed(), FtpMetricsRecorder.NOOP, Optional.empty(), List.of(), Optional.empty(),
      Optional.empty(), List.of());

  private final OptionValues options;
  private final List<InetSocketAddress> bindAddresses;
  private final Authenticator authenticator;
  private final FileSystemFactory fileSystemFactory;
  private final FtpMetricsRecorder metrics;
  private final Optional<TlsSettings> tls;
  private final List<FtpInterceptor> interceptors;
  private final Optional<LoopResources> loops;
  private final Optional<Scheduler> blocking;
  private final List<VirtualHost> hosts;
  /** Asked for every new connection's greeting: found once. */
  private final Optional<VirtualHost> defaultHost;

  private FtpServerConfig(OptionValues options, List<InetSocketAddress> bindAddresses, Authenticator authenticator,
      FileSystemFactory fileSystemFactory, FtpMetricsRecorder metrics, Optional<TlsSettings> tls,
      List<FtpInterceptor> interceptors, Optional<LoopResources> loops, Optional<Scheduler> blocking,
      List<VirtualHost> hosts) {
    if (bindAddresses.isEmpty()) {
      throw new IllegalArgumentException("at least one bind address is needed");
    }
    if (options.get(ServerOptions.DATA_CHANNELS).isEmpty()) {
      throw new IllegalArgumentException("at least one data channel kind is needed");
    }
    this.options = options;
    this.bindAddresses = List.copyOf(bindAddresses);
    this.authenticator = authenticator;
    this.fileSystemFactory = fileSystemFactory;
    this.metrics = metrics;
    this.tls = tls;
    this.interceptors = List.copyOf(interceptors);
    this.loops = loops;
    this.blocking = blocking;
    this.hosts = List.copyOf(hosts);
    this.defaultHost = this.hosts.stream().filter(VirtualHost::isDefault).findFirst();
    if (this.hosts.stream().filter(VirtualHost::isDefault).count() > 1) {
      throw new IllegalArgumentException("more than one default virtual host");
    }
    for (int i = 0; i < this.hosts.size(); i++) {
      for (int j = 0; j < i; j++) {
        var a = this.hosts.get(i);
        var b = this.hosts.get(j);
        var names = new ArrayList<>(a.aliases());
        names.add(a.name());
        for (String n : names) {
          if (b.answersTo(n)) {
            throw new IllegalArgumentException("two virtual hosts answer to " + n);
          }
        }
      }
    }
  }

  /**
   * The defaults: every option at its default, listening on 127.0.0.1:2121, no users, each user
   * jailed in its root on the default file system, no TLS, no meters, the server's own event loops
   * and virtual threads.
   */
  public static FtpServerConfig defaults() {
    return DEFAULTS;
  }

  /** The value of an option, or its default. */
  public <T> T get(ConfigOption<T> option) {
    return options.get(option);
  }

  /** The value of an option that has no default ({@link ServerOptions#PASSIVE_PORTS}), if set. */
  public <T> Optional<T> find(ConfigOption<T> option) {
    return options.find(option);
  }

  /** A copy with the option set; {@link IllegalArgumentException} when the value breaks its constraint. */
  public <T> FtpServerConfig with(ConfigOption<T> option, T value) {
    return new FtpServerConfig(options.with(option, value), bindAddresses, authenticator, fileSystemFactory, metrics,
        tls, interceptors, loops, blocking, hosts);
  }

  /** Where the listeners bind (IPv4 and IPv6). */
  public List<InetSocketAddress> bindAddresses() {
    return bindAddresses;
  }

  /** A copy listening on these addresses. */
  public FtpServerConfig withBindAddresses(List<InetSocketAddress> addresses) {
    return new FtpServerConfig(options, addresses, authenticator, fileSystemFactory, metrics, tls, interceptors, loops,
        blocking, hosts);
  }

  /** Checks user names and passwords. */
  public Authenticator authenticator() {
    return authenticator;
  }

  /** A copy with this authenticator. */
  public FtpServerConfig withAuthenticator(Authenticator authenticator) {
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, metrics, tls, interceptors,
        loops, blocking, hosts);
  }

  /** The file system each user sees. */
  public FileSystemFactory fileSystemFactory() {
    return fileSystemFactory;
  }

  /** A copy with this file system. */
  public FtpServerConfig withFileSystemFactory(FileSystemFactory factory) {
    return new FtpServerConfig(options, bindAddresses, authenticator, factory, metrics, tls, interceptors, loops,
        blocking, hosts);
  }

  /** Where meters are recorded. */
  public FtpMetricsRecorder metrics() {
    return metrics;
  }

  /** A copy recording meters here. */
  public FtpServerConfig withMetrics(FtpMetricsRecorder recorder) {
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, recorder, tls, interceptors,
        loops, blocking, hosts);
  }

  /** FTPS (RFC 4217), when configured. */
  public Optional<TlsSettings> tls() {
    return tls;
  }

  /** A copy with FTPS. */
  public FtpServerConfig withTls(TlsSettings settings) {
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, metrics, Optional.of(settings),
        interceptors, loops, blocking, hosts);
  }

  /** What decides on commands, logins and file operations before they run, in order. */
  public List<FtpInterceptor> interceptors() {
    return interceptors;
  }

  /** A copy with one more interceptor, run after the others. */
  public FtpServerConfig withInterceptor(FtpInterceptor interceptor) {
    var all = new ArrayList<>(interceptors);
    all.add(interceptor);
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, metrics, tls, all, loops,
        blocking, hosts);
  }

  /**
   * The event loops to run on, when the embedding application supplies them (it then disposes them
   * too); empty: the server makes its own and disposes them when it stops.
   */
  public Optional<LoopResources> loops() {
    return loops;
  }

  /** A copy running on these event loops. */
  public FtpServerConfig withLoops(LoopResources resources) {
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, metrics, tls, interceptors,
        Optional.of(resources), blocking, hosts);
  }

  /**
   * Where file-system calls and other blocking work run, when the application supplies it (and
   * disposes it); empty: the server's own virtual threads.
   */
  public Optional<Scheduler> blocking() {
    return blocking;
  }

  /** A copy running blocking work on this scheduler. */
  public FtpServerConfig withBlocking(Scheduler scheduler) {
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, metrics, tls, interceptors,
        loops, Optional.of(scheduler), hosts);
  }

  /** The virtual hosts (RFC 7151 HOST), in the order given. */
  public List<VirtualHost> virtualHosts() {
    return hosts;
  }

  /** The host a client that sends no HOST gets, if one is marked default. */
  public Optional<VirtualHost> defaultHost() {
    return defaultHost;
  }

  /** A copy with one more virtual host; {@link IllegalArgumentException} when a name is taken or a second is default. */
  public FtpServerConfig withVirtualHost(VirtualHost host) {
    var all = new ArrayList<>(hosts);
    all.add(host);
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, metrics, tls, interceptors,
        loops, blocking, all);
  }

  /** A copy with exactly these virtual hosts (a reload replaces them all). */
  public FtpServerConfig withVirtualHosts(List<VirtualHost> all) {
    return new FtpServerConfig(options, bindAddresses, authenticator, fileSystemFactory, metrics, tls, interceptors,
        loops, blocking, all);
  }

  @Override
  public String toString() {
    return "FtpServerConfig" + bindAddresses + options;
  }
}
