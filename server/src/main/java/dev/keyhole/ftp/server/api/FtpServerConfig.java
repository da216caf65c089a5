package dev.keyhole.ftp.server.api;


import dev.keyhole.ftp.protocol.FtpCommandDecoder;
import dev.keyhole.ftp.server.auth.Authenticator;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder;
import dev.keyhole.ftp.server.tls.TlsSettings;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.PortRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.resources.LoopResources;

/**
 * The server's read-only configuration. Every option of the command line and the configuration
 * file ends up here; {@code FtpServer} is the way to build one.
 *
 * @param bindAddresses where the listener binds (IPv4 and IPv6)
 * @param authenticator checks user names and passwords
 * @param fileSystemFactory the file system each user sees
 * @param maxSessions sessions at once, beyond which new connections are greeted 421
 * @param maxSessionsPerIp sessions at once from one client address (0 = no limit)
 * @param passivePorts ports for PASV/EPSV listeners; when empty, 10000 up to the kernel's ephemeral range
 * @param publicAddress the IPv4 address announced in 227 replies, when not the local one
 * @param idleTimeout a session without commands or transfers this long is closed with 421; a
 *     session whose transfer runs is never idle
 
 * @param loginTimeout a connection not logged in by then is closed with 421
 * @param dataConnectionTimeout how long a data connection may take to arrive or connect, and how
 *     long an established one may go without moving a byte before it is closed (426), as vsftpd's
 *     {@code data_connection_timeout}
 * @param failedLoginDelay the pause before a 530 reply to a wrong password
 * @param maxLoginFailures wrong passwords after which the connection is closed
 * @param allowForeignDataAddress whether PORT/EPRT may name another host than the client (RFC 2577)
 * @param allowLowDataPorts whether PORT/EPRT may name a port below 1024 (RFC 2577)
 * @param keepPartialUploads whether an interrupted STOR leaves its partial file under the final name
 * @param maxLineLength the longest command line accepted, in bytes
 * @param shutdownGrace how long running transfers may go on once shutdown begins
 * @param metrics where meters are recorded
 * @param banner the text of the 220 greeting
 * @param dataChannels which data-channel commands are offered; the others answer 502
 * @param spsvTimeout how long an SPSV identifier waits for its SPDT connection
 * @param maxPendingSpsv SPSV identifiers pending at once, in all sessions together
 * @param spdtFromAnyAddress whether an SPDT connection may come from another address than its
 *     control connection (behind proxies that do not keep the client's address)
 * @param tls FTPS (RFC 4217), when configured
 * @param interceptors what decides on commands, logins and file operations before they run, in order
 * @param loops the event loops to run on, when the embedding application supplies them (it then
 *     disposes them too); empty: the server makes its own and disposes them when it stops
 * @param blocking where file-system calls and other blocking work run, when the application
 *     supplies it (and disposes it); empty: the server's own virtual threads
 */
public record FtpServerConfig(
    List<InetSocketAddress> bindAddresses,
    Authenticator authenticator,
    FileSystemFactory fileSystemFactory,
    int maxSessions,
    int maxSessionsPerIp,
    Optional<PortRange> passivePorts,
    Optional<InetAddress> publicAddress,
    Duration idleTimeout,
    Duration loginTimeout,
    Duration dataConnectionTimeout,
    Duration failedLoginDelay,
    int maxLoginFailures,
    boolean allowForeignDataAddress,
    boolean allowLowDataPorts,
    boolean keepPartialUploads,
    int maxLineLength,
    Duration shutdownGrace,
    FtpMetricsRecorder metrics,
    String banner,
    Set<DataChannelKind> dataChannels,
    Duration spsvTimeout,
    int maxPendingSpsv,
    boolean spdtFromAnyAddress,
    Optional<TlsSettings> tls,
    List<FtpInterceptor> interceptors,
    Optional<LoopResources> loops,
    Optional<Scheduler> blocking) {

  public FtpServerConfig {
    interceptors = List.copyOf(interceptors);
    bindAddresses = List.copyOf(bindAddresses);
    dataChannels = Set.copyOf(dataChannels);
    if (dataChannels.isEmpty()) {
      throw new IllegalArgumentException("at least one data channel kind is needed");
    }
    if (bindAddresses.isEmpty()) {
      throw new IllegalArgumentException("at least one bind address is needed");
    }
    if (maxSessions < 1 || maxSessionsPerIp < 0 || maxLoginFailures < 1) {
      throw new IllegalArgumentException("session and login limits must be positive");
    }
  }

  /** A mutable copy to edit: what {@code FtpServer}'s methods use; applications configure through {@code FtpServer}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A mutable copy of this configuration, for {@code FtpServer}'s copy-on-write methods. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The mutable configuration that {@code FtpServer}'s copy-on-write methods edit and then seal
   * with {@link #build()}: not for applications, which configure through {@code FtpServer}.
   */
  public static final class Builder {
    public List<InetSocketAddress> bindAddresses = new ArrayList<>(List.of(new InetSocketAddress("127.0.0.1", 2121)));
    public Authenticator authenticator = (name, password, remote) -> Mono.just(Optional.empty());
    public FileSystemFactory fileSystemFactory = FileSystemFactory.jailed();
    public int maxSessions = 2000;
    public int maxSessionsPerIp = 0;
    public Optional<PortRange> passivePorts = Optional.empty();
    public Optional<InetAddress> publicAddress = Optional.empty();
    public Duration idleTimeout = Duration.ofMinutes(5);
    public Duration loginTimeout = Duration.ofSeconds(60);
    public Duration dataConnectionTimeout = Duration.ofSeconds(60);
    public Duration failedLoginDelay = Duration.ofSeconds(1);
    public int maxLoginFailures = 3;
    public boolean allowForeignDataAddress;
    public boolean allowLowDataPorts;
    public boolean keepPartialUploads;
    public int maxLineLength = FtpCommandDecoder.DEFAULT_MAX_LINE_LENGTH;
    public Duration shutdownGrace = Duration.ofSeconds(30);
    public FtpMetricsRecorder metrics = FtpMetricsRecorder.NOOP;
    public String banner = "Keyhole FTP server ready.";
    public Set<DataChannelKind> dataChannels = EnumSet.allOf(DataChannelKind.class);
    public Duration spsvTimeout = Duration.ofSeconds(60);
    public int maxPendingSpsv = 10_000;
    public boolean spdtFromAnyAddress;
    public Optional<TlsSettings> tls = Optional.empty();
    public List<FtpInterceptor> interceptors = new ArrayList<>();
    public Optional<LoopResources> loops = Optional.empty();
    public Optional<Scheduler> blocking = Optional.empty();

    Builder() {}

    Builder(FtpServerConfig c) {
      bindAddresses = new ArrayList<>(c.bindAddresses);
      authenticator = c.authenticator;
      fileSystemFactory = c.fileSystemFactory;
      maxSessions = c.maxSessions;
      maxSessionsPerIp = c.maxSessionsPerIp;
      passivePorts = c.passivePorts;
      publicAddress = c.publicAddress;
      idleTimeout = c.idleTimeout;
      loginTimeout = c.loginTimeout;
      dataConnectionTimeout = c.dataConnectionTimeout;
      failedLoginDelay = c.failedLoginDelay;
      maxLoginFailures = c.maxLoginFailures;
      allowForeignDataAddress = c.allowForeignDataAddress;
      allowLowDataPorts = c.allowLowDataPorts;
      keepPartialUploads = c.keepPartialUploads;
      maxLineLength = c.maxLineLength;
      shutdownGrace = c.shutdownGrace;
      metrics = c.metrics;
      banner = c.banner;
      dataChannels = c.dataChannels;
      spsvTimeout = c.spsvTimeout;
      maxPendingSpsv = c.maxPendingSpsv;
      spdtFromAnyAddress = c.spdtFromAnyAddress;
      tls = c.tls;
      interceptors = new ArrayList<>(c.interceptors);
      loops = c.loops;
      blocking = c.blocking;
    }

    public FtpServerConfig build() {
      return new FtpServerConfig(bindAddresses, authenticator, fileSystemFactory, maxSessions,
          maxSessionsPerIp, passivePorts, publicAddress, idleTimeout, loginTimeout,
          dataConnectionTimeout, failedLoginDelay, maxLoginFailures, allowForeignDataAddress,
          allowLowDataPorts, keepPartialUploads, maxLineLength, shutdownGrace, metrics, banner, dataChannels,
          spsvTimeout, maxPendingSpsv, spdtFromAnyAddress, tls, interceptors, loops, blocking);
    }
  }
}
