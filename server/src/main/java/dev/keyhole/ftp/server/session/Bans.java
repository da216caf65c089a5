package dev.keyhole.ftp.server.session;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bans, as fail2ban would impose them but inside the server: an address with
 * {@link ServerOptions#BAN_AFTER} failed logins within {@link ServerOptions#BAN_WINDOW} is banned
 * for {@link ServerOptions#BAN_FOR}, its new connections answered 421 and closed before any work;
 * optionally an account with {@link ServerOptions#LOCK_ACCOUNT_AFTER} failures from anywhere is
 * locked as long; and an address may open at most
 * {@link ServerOptions#MAX_CONNECTIONS_PER_MINUTE} connections a minute. Bans and their end are
 * logged. Thread-safe; memory is bounded by {@link #MAX_TRACKED} addresses and accounts.
 */
public final class Bans {

  private static final Logger log = LoggerFactory.getLogger(Bans.class);

  /** Addresses or accounts tracked at once; beyond, the quietest are forgotten. */
  static final int MAX_TRACKED = 100_000;

  private final int banAfter;
  private final Duration window;
  private final Duration banFor;
  private final int lockAfter;
  private final int connectionsPerMinute;
  private final Clock clock;
  private final FtpMetricsRecorder metrics;
  private final Map<InetAddress, Record> addresses = new ConcurrentHashMap<>();
  private final Map<String, Record> accounts = new ConcurrentHashMap<>();

  /** Failures within the window, connections within the last minute, and the end of a ban if one runs. */
  private static final class Record {
    final ArrayDeque<Instant> failures = new ArrayDeque<>();
    final ArrayDeque<Instant> connections = new ArrayDeque<>();
    Instant bannedUntil = Instant.MIN;
    Instant lastSeen = Instant.MIN;
  }

  public Bans(FtpServerConfig config) {
    this(config.get(ServerOptions.BAN_AFTER), config.get(ServerOptions.BAN_WINDOW), config.get(ServerOptions.BAN_FOR),
        config.get(ServerOptions.LOCK_ACCOUNT_AFTER), config.get(ServerOptions.MAX_CONNECTIONS_PER_MINUTE),
        Clock.systemUTC(), config.metrics());
  }

  Bans(int banAfter, Duration window, Duration banFor, int lockAfter, int connectionsPerMinute, Clock clock) {
    this(banAfter, window, banFor, lockAfter, connectionsPerMinute, clock, FtpMetricsRecorder.NOOP);
  }

  Bans(int banAfter, Duration window, Duration banFor, int lockAfter, int connectionsPerMinute, Clock clock,
      FtpMetricsRecorder metrics) {
    this.banAfter = banAfter;
    this.window = window;
    this.banFor = banFor;
    this.lockAfter = lockAfter;
    this.connectionsPerMinute = connectionsPerMinute;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Whether a new connection from {@code address} is refused: the address is banned, or it opened
   * too many connections in the last minute (which counts this one).
   */
  public boolean refuses(InetAddress address) {
    if (banAfter <= 0 && connectionsPerMinute <= 0) {
      return false;
    }
    var now = clock.instant();
    var record = addresses.get(address);
    if (record != null && banned(record, now, AddressFormats.toText(address))) {
      return true;
    }
    if (connectionsPerMinute <= 0) {
      return false;
    }
    record = track(addresses, address);
    synchronized (record) {
      record.lastSeen = now;
      var minuteAgo = now.minus(Duration.ofMinutes(1));
      while (!record.connections.isEmpty() && record.connections.peekFirst().isBefore(minuteAgo)) {
        record.connections.removeFirst();
      }
      if (record.connections.size() >= connectionsPerMinute) {
        log.info("refused {}: more than {} connections in a minute", AddressFormats.toText(address),
            connectionsPerMinute);
        return true;
      }
      record.connections.addLast(now);
    }
    return false;
  }

  /** Whether {@code user} is locked by failures from anywhere. */
  public boolean locked(String user) {
    if (lockAfter <= 0) {
      return false;
    }
    var record = accounts.get(key(user));
    return record != null && banned(record, clock.instant(), "account " + user);
  }

  /** Counts a failed login; bans the address, or locks the account, when it reaches the limit. */
  public void loginFailed(InetAddress address, String user) {
    var now = clock.instant();
    if (banAfter > 0 && count(track(addresses, address), now, banAfter)) {
      log.warn("banned {} until {} after {} failed logins within {}", AddressFormats.toText(address), now.plus(banFor),
          banAfter, text(window));
      metrics.banStarted("address");
    }
    if (lockAfter > 0 && count(track(accounts, key(user)), now, lockAfter)) {
      log.warn("locked account {} until {} after {} failed logins within {}", user, now.plus(banFor), lockAfter,
          text(window));
      metrics.banStarted("account");
    }
  }

  /** Addresses banned now. */
  public int bannedCount() {
    var now = clock.instant();
    return (int) addresses.values().stream().filter(r -> r.bannedUntil.isAfter(now)).count();
  }

  /** Adds a failure at {@code now}; true when it starts a ban. */
  private boolean count(Record record, Instant now, int limit) {
    synchronized (record) {
      record.lastSeen = now;
      if (record.bannedUntil.isAfter(now)) {
        return false;
      }
      var since = now.minus(window);
      while (!record.failures.isEmpty() && record.failures.peekFirst().isBefore(since)) {
        record.failures.removeFirst();
      }
      record.failures.addLast(now);
      if (record.failures.size() >= limit) {
        record.bannedUntil = now.plus(banFor);
        record.failures.clear();
        return true;
      }
      return false;
    }
  }

  /** Whether the record's ban runs at {@code now}; logs the end of one that ran out. */
  private boolean banned(Record record, Instant now, String what) {
    synchronized (record) {
      if (record.bannedUntil.isAfter(now)) {
        return true;
      }
      if (!record.bannedUntil.equals(Instant.MIN)) {
        log.info("ban of {} ended at {}", what, record.bannedUntil);
        record.bannedUntil = Instant.MIN;
      }
      return false;
    }
  }

  private <K> Record track(Map<K, Record> records, K key) {
    if (records.size() >= MAX_TRACKED && !records.containsKey(key)) {
      forgetQuietest(records);
    }
    return records.computeIfAbsent(key, k -> new Record());
  }

  /** Forgets the records not seen for a window and not banned; if none, the oldest tenth. */
  private <K> void forgetQuietest(Map<K, Record> records) {
    var now = clock.instant();
    var stale = now.minus(window.compareTo(Duration.ofMinutes(1)) > 0 ? window : Duration.ofMinutes(1));
    records.entrySet().removeIf(e -> e.getValue().lastSeen.isBefore(stale) && !e.getValue().bannedUntil.isAfter(now));
    if (records.size() >= MAX_TRACKED) {
      records.entrySet().stream()
          .filter(e -> !e.getValue().bannedUntil.isAfter(now))
          .sorted((a, b) -> a.getValue().lastSeen.compareTo(b.getValue().lastSeen))
          .limit(MAX_TRACKED / 10)
          .map(Map.Entry::getKey)
          .toList()
          .forEach(records::remove);
    }
  }

  private static String key(String user) {
    return user.toLowerCase(Locale.ROOT);
  }

  private static String text(Duration d) {
    return dev.keyhole.ftp.config.Durations.format(d);
  }
}
