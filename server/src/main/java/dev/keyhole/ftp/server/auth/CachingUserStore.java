package dev.keyhole.ftp.server.auth;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Keeps a store's answers, found or not, for {@code ttl}, at most {@code maxEntries} of them, in
 * front of a store whose lookups cost a round trip (a database). Changes made through it ({@link
 * #put}, {@link #delete}) take effect at once; changes made elsewhere (another node's {@code
 * keyhole users}) within {@code ttl}.
 */
public final class CachingUserStore implements UserStore {

  private record Key(String host, String name) {}

  private record Entry(Optional<UserAccount> account, long until) {}

  private final UserStore store;
  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

  /** A cache of {@code store}'s answers, each kept {@code ttl}, at most {@code maxEntries}. */
  public CachingUserStore(UserStore store, Duration ttl, int maxEntries) {
    this(store, ttl, maxEntries, System::nanoTime);
  }

  CachingUserStore(UserStore store, Duration ttl, int maxEntries, LongSupplier nanoTime) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  @Override
  public Optional<UserAccount> find(String host, String name) throws IOException {
    var key = new Key(host.toLowerCase(Locale.ROOT), name);
    long now = nanoTime.getAsLong();
    var entry = entries.get(key);
    if (entry != null && now - entry.until() < 0) {
      return entry.account();
    }
    var account = store.find(host, name);
    if (entries.size() >= maxEntries) {
      // full: drop what has expired, and if that is not enough, everything (a cache, not a store)
      entries.values().removeIf(e -> now - e.until() >= 0);
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
    }
    entries.put(key, new Entry(account, now + ttlNanos));
    return account;
  }

  @Override
  public List<UserAccount> list(String host) throws IOException {
    return store.list(host);
  }

  @Override
  public void put(String host, UserAccount account) throws IOException {
    store.put(host, account);
    entries.remove(new Key(host.toLowerCase(Locale.ROOT), account.name()));
  }

  @Override
  public boolean delete(String host, String name) throws IOException {
    boolean deleted = store.delete(host, name);
    entries.remove(new Key(host.toLowerCase(Locale.ROOT), name));
    return deleted;
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
