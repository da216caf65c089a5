package dev.keyhole.ftp.server.api;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.LineSplitter;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.PortRange;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The server's options, each declared once: name, type, default, constraint and description.
 * {@code FtpServer.option(key, value)} sets them, {@link FtpServerConfig#get} reads them, and the
 * {@code keyhole serve} flags ({@code --max-sessions}) and YAML keys ({@code maxSessions}) are made
 * from {@link #ALL}. What is not a plain value (bind addresses, authenticator, file system, TLS,
 * meters, interceptors, event loops) has its own method on {@code FtpServer}.
 */
public final class ServerOptions {

  private ServerOptions() {}

  public static final ConfigOption<Integer> MAX_SESSIONS = ConfigOption.integer("max-sessions", "N", 2000, 1,
      "sessions at once; more are greeted 421");

  public static final ConfigOption<Integer> MAX_SESSIONS_PER_IP = ConfigOption.integer("max-sessions-per-ip", "N", 0, 0,
      "sessions at once from one client address; 0 = no limit");

  public static final ConfigOption<PortRange> PASSIVE_PORTS = ConfigOption.of("passive-ports", "A-B", PortRange.class,
      null, PortRange::parse, PortRange::toString,
      "ports for PASV/EPSV listeners (default: 10000 up to the kernel's ephemeral range)");

  public static final ConfigOption<InetAddress> PUBLIC_ADDRESS = ConfigOption.of("public-address", "ADDR",
      InetAddress.class, null, ServerOptions::literal, AddressFormats::toText,
      "IPv4 address announced in 227 replies instead of the local one, for NAT");

  public static final ConfigOption<Duration> IDLE_TIMEOUT = ConfigOption.duration("idle-timeout", Duration.ofMinutes(5),
      Duration.ofMillis(1), "a session with no command and no transfer this long is closed with 421; a session whose "
          + "transfer runs is never idle");

  public static final ConfigOption<Duration> LOGIN_TIMEOUT = ConfigOption.duration("login-timeout", Duration.ofSeconds(60),
      Duration.ofMillis(1), "a connection not logged in by then is closed with 421");

  public static final ConfigOption<Duration> DATA_CONNECTION_TIMEOUT = ConfigOption.duration("data-connection-timeout",
      Duration.ofSeconds(60), Duration.ofMillis(1), "a data connection that does not arrive, connect or move a byte "
          + "for this long fails (426), as vsftpd's data_connection_timeout");

  public static final ConfigOption<Duration> FAILED_LOGIN_DELAY = ConfigOption.duration("failed-login-delay",
      Duration.ofSeconds(1), Duration.ZERO, "the pause before a 530 reply to a wrong password");

  public static final ConfigOption<Integer> MAX_LOGIN_FAILURES = ConfigOption.integer("max-login-failures", "N", 3, 1,
      "wrong passwords after which the connection is closed");

  public static final ConfigOption<Boolean> ALLOW_FOREIGN_DATA_ADDRESS = ConfigOption.flag("allow-foreign-data-address",
      "let PORT/EPRT name another host than the client (FXP; RFC 2577 advises against it)");

  public static final ConfigOption<Boolean> ALLOW_LOW_DATA_PORTS = ConfigOption.flag("allow-low-data-ports",
      "let PORT/EPRT name a port below 1024 (RFC 2577 advises against it)");

  public static final ConfigOption<Boolean> KEEP_PARTIAL_UPLOADS = ConfigOption.flag("keep-partial-uploads",
      "leave an interrupted upload under its final name (for REST resume); by default the previous file stays");

  public static final ConfigOption<Boolean> DIRECT_UPLOADS = ConfigOption.flag("direct-uploads",
      "write binary uploads with direct I/O (O_DIRECT) where the file system has it: less CPU per GiB, "
          + "but the disk's own pace and uploaded files not left in the page cache (docs/benchmarks.md)");

  public static final ConfigOption<Integer> MAX_LINE_LENGTH = ConfigOption.integer("max-line-length", "BYTES",
      LineSplitter.DEFAULT_MAX_LINE_LENGTH, 16, "the longest command line accepted; longer ones are answered 500");

  public static final ConfigOption<Duration> SHUTDOWN_GRACE = ConfigOption.duration("shutdown-grace",
      Duration.ofSeconds(30), Duration.ZERO, "how long running transfers may go on when an embedding application "
          + "disposes the server (keyhole serve drains on SIGTERM instead: --drain-timeout)");

  public static final ConfigOption<String> BANNER = ConfigOption.text("banner", "TEXT", "Keyhole FTP server ready.",
      "the text of the 220 greeting");

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final ConfigOption<Set<DataChannelKind>> DATA_CHANNELS = ConfigOption.of("data-channels", "LIST",
      (Class<Set<DataChannelKind>>) (Class) Set.class, Set.copyOf(EnumSet.allOf(DataChannelKind.class)),
      text -> Set.copyOf(DataChannelKind.parse(text)), ServerOptions::kinds,
      "data-channel commands offered, of spsv,epsv,pasv,port,eprt; the others answer 502 and FEAT leaves them out");

  public static final ConfigOption<Duration> SPSV_TIMEOUT = ConfigOption.duration("spsv-timeout", Duration.ofSeconds(60),
      Duration.ofMillis(1), "how long an SPSV identifier waits for its SPDT connection");

  public static final ConfigOption<Integer> MAX_PENDING_SPSV = ConfigOption.integer("max-pending-spsv", "N", 10_000, 1,
      "SPSV identifiers pending at once, in all sessions together");

  public static final ConfigOption<Boolean> SPDT_FROM_ANY_ADDRESS = ConfigOption.flag("spdt-from-any-address",
      "accept an SPDT connection from another address than its control connection's (behind proxies that do not "
          + "keep the client's address)");

  public static final ConfigOption<Integer> BAN_AFTER = ConfigOption.integer("ban-after", "N", 10, 0,
      "failed logins from one address within --ban-window that ban it for --ban-for; 0 = no bans");

  public static final ConfigOption<Duration> BAN_WINDOW = ConfigOption.duration("ban-window", Duration.ofMinutes(10),
      Duration.ofSeconds(1), "how far back failed logins count toward a ban");

  public static final ConfigOption<Duration> BAN_FOR = ConfigOption.duration("ban-for", Duration.ofMinutes(15),
      Duration.ofSeconds(1), "how long a ban (or an account lock) lasts: new connections are answered 421 and closed");

  public static final ConfigOption<Integer> LOCK_ACCOUNT_AFTER = ConfigOption.integer("lock-account-after", "N", 0, 0,
      "failed logins to one account, from any address, within --ban-window that lock it for --ban-for; 0 = never");

  public static final ConfigOption<Integer> MAX_CONNECTIONS_PER_MINUTE = ConfigOption.integer(
      "max-connections-per-minute", "N", 0, 0, "connections one address may open in a minute; more are answered 421; "
          + "0 = no limit");

  public static final ConfigOption<Long> DOWNLOAD_RATE = rate("download-rate",
      "the most bytes a second one session's downloads and listings may take; 0 = no limit (vsftpd's local_max_rate)");

  public static final ConfigOption<Long> UPLOAD_RATE = rate("upload-rate",
      "the most bytes a second one session's uploads may take; 0 = no limit");

  public static final ConfigOption<Long> TOTAL_DOWNLOAD_RATE = rate("total-download-rate",
      "the most bytes a second all downloads together may take; 0 = no limit");

  public static final ConfigOption<Long> TOTAL_UPLOAD_RATE = rate("total-upload-rate",
      "the most bytes a second all uploads together may take; 0 = no limit");

  public static final ConfigOption<Long> USER_QUOTA_BYTES = ConfigOption.of("user-quota-bytes", "SIZE", Long.class, 0L,
      ServerOptions::parseSize, ServerOptions::formatRate,
      "the most bytes each user's root may hold (binary suffixes: 500m, 2g); an upload beyond is refused with 552 "
          + "and leaves nothing behind; 0 = no quota");

  public static final ConfigOption<Long> USER_QUOTA_FILES = ConfigOption.of("user-quota-files", "N", Long.class, 0L,
      ServerOptions::parseCount, String::valueOf, "the most files each user's root may hold; 0 = no quota");

  public static final ConfigOption<Boolean> PROXY_PROTOCOL = ConfigOption.flag("proxy-protocol",
      "every connection starts with a PROXY protocol v1 or v2 header (HAProxy's send-proxy, send-proxy-v2), whose "
          + "client address every limit, ban, log and data-connection check then uses; accepted only from "
          + "--trusted-proxies, other connections are closed");

  public static final ConfigOption<List<Cidr>> TRUSTED_PROXIES = ConfigOption.list("trusted-proxies", "CIDR",
      Cidr::parse, Cidr::toString, "addresses or blocks (10.0.0.0/8, ::1) that may send a PROXY header");

  public static final ConfigOption<String> NODE_ID = ConfigOption.of("node-id", "ID", String.class, null,
      ClusterPeer::checkId, s -> s, "this node's identifier in a cluster: its SPSV identifiers name it, so that "
          + "another node receiving their SPDT relays it here");

  public static final ConfigOption<List<ClusterPeer>> CLUSTER_PEERS = ConfigOption.list("cluster-peer", "ID=HOST:PORT",
      ClusterPeer::parse, ClusterPeer::toString, "a node of the cluster (repeat the flag for each; every node may "
          + "be given the same list, its own entry included); connections from peers start with a PROXY header")
      .inYaml("clusterPeers");

  public static final ConfigOption<Duration> DRAIN_TIMEOUT = ConfigOption.duration("drain-timeout",
      Duration.ofSeconds(30), Duration.ZERO, "on SIGTERM: how long a node answers /health 503, lets its sessions "
          + "finish their transfers and still serves SPDT for its identifiers, before it closes the rest with 421");

  /** Every option, in the order of the help text. */
  public static final List<ConfigOption<?>> ALL = List.of(MAX_SESSIONS, MAX_SESSIONS_PER_IP, PASSIVE_PORTS,
      PUBLIC_ADDRESS, IDLE_TIMEOUT, LOGIN_TIMEOUT, DATA_CONNECTION_TIMEOUT, FAILED_LOGIN_DELAY, MAX_LOGIN_FAILURES,
      ALLOW_FOREIGN_DATA_ADDRESS, ALLOW_LOW_DATA_PORTS, KEEP_PARTIAL_UPLOADS, DIRECT_UPLOADS, MAX_LINE_LENGTH,
      SHUTDOWN_GRACE, BANNER,
      DATA_CHANNELS, SPSV_TIMEOUT, MAX_PENDING_SPSV, SPDT_FROM_ANY_ADDRESS, BAN_AFTER, BAN_WINDOW, BAN_FOR,
      LOCK_ACCOUNT_AFTER, MAX_CONNECTIONS_PER_MINUTE, DOWNLOAD_RATE, UPLOAD_RATE, TOTAL_DOWNLOAD_RATE,
      TOTAL_UPLOAD_RATE, USER_QUOTA_BYTES, USER_QUOTA_FILES, PROXY_PROTOCOL, TRUSTED_PROXIES, NODE_ID,
      CLUSTER_PEERS, DRAIN_TIMEOUT);

  private static InetAddress literal(String text) {
    return AddressFormats.literal(text, text.contains(":"))
        .orElseThrow(() -> new IllegalArgumentException("not an IP address: '" + text + "'"));
  }

  /** A rate in bytes a second, written with binary suffixes: {@code 512k}, {@code 1m} (1 MiB/s), {@code 1g}. */
  private static ConfigOption<Long> rate(String name, String description) {
    return ConfigOption.of(name, "RATE", Long.class, 0L, ServerOptions::parseRate, ServerOptions::formatRate, description);
  }

  static long parseRate(String text) {
    try {
      return parseSize(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a rate: '" + text + "' (bytes a second: 500000, 512k, 10m, 1g)");
    }
  }

  /** A number of bytes with binary suffixes: {@code 500000}, {@code 512k}, {@code 10m}, {@code 2g}. */
  static long parseSize(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      unit = switch (t.charAt(t.length() - 1)) {
        case 'k' -> 1L << 10;
        case 'm' -> 1L << 20;
        default -> 1L << 30;
      };
      t = t.substring(0, t.length() - 1);
    }
    try {
      long value = Long.parseLong(t);
      if (value < 0 || value > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return value * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size: '" + text + "' (bytes: 500000, 512k, 10m, 2g)");
    }
  }

  static long parseCount(String text) {
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("not a count: '" + text + "'");
  }

  static String formatRate(long rate) {
    if (rate > 0 && rate % (1L << 30) == 0) {
      return rate / (1L << 30) + "g";
    }
    if (rate > 0 && rate % (1L << 20) == 0) {
      return rate / (1L << 20) + "m";
    }
    if (rate > 0 && rate % (1L << 10) == 0) {
      return rate / (1L << 10) + "k";
    }
    return Long.toString(rate);
  }

  private static String kinds(Set<DataChannelKind> kinds) {
    return kinds.stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
  }
}
