package dev.keyhole.ftp.transport;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * The pending SPSV identifiers of all sessions (draft-rosenau-ftp-single-port-05 section 3).
 *
 * <p>An identifier is a 4-character node tag, a 6-character lookup key and a 22-character secret,
 * all base64url (characters 33-126, no parentheses or colons, 32 in all, the draft's longest).
 * The tag names the node that issued it ({@link #nodeTag}, a digest of the node's id, never its
 * address), so that a node of a cluster receiving the SPDT can tell whose it is; without a node
 * id it is random per process. The secret carries 132 bits from
 * {@link SecureRandom} and is compared in constant time, so neither guessing nor timing the
 * comparison tells anything; the key, 36 random bits, only finds the entry. An identifier is
 * valid for one connection, for at most the configured time, and at most {@code maxPending} wait
 * at once. An address whose SPDT attempts fail {@link #MAX_FAILURES} times in a window is refused
 * for the rest of it, even with a correct identifier.
 */
public final class SpdtRegistry {

  /** Failed SPDT attempts from one address before it is refused for the rest of the window. */
  public static final int MAX_FAILURES = 10;
  static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
  private static final int KEY_BYTES = 36 / 8 + 1; // encoded, then cut to the key's 6 characters
  private static final int SECRET_BYTES = 16;
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, SpdtBinding> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int maxPending;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final String tag;

  /** A registry holding at most {@code maxPending} identifiers, each valid for {@code timeout}, with a random node tag. */
  public SpdtRegistry(int maxPending, Duration timeout) {
    this(maxPending, timeout, (String) null);
  }

  /**
   * A registry whose identifiers carry the tag of node {@code nodeId} ({@link #nodeTag}), or a
   * random tag when it is null.
   */
  public SpdtRegistry(int maxPending, Duration timeout, @Nullable String nodeId) {
    this(maxPending, timeout, System::nanoTime, nodeId);
  }

  SpdtRegistry(int maxPending, Duration timeout, LongSupplier nanoTime) {
    this(maxPending, timeout, nanoTime, null);
  }

  private SpdtRegistry(int maxPending, Duration timeout, LongSupplier nanoTime, @Nullable String nodeId) {
    this.maxPending = maxPending;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.tag = nodeId != null ? nodeTag(nodeId) : encode(TAG_LENGTH).substring(0, TAG_LENGTH);
  }

  /** Characters of an identifier that name its node. */
  static final int TAG_LENGTH = 4;

  /**
   * The tag of a node's identifiers: the first 24 bits of the SHA-256 of its id, base64url. Two
   * ids of one cluster with the same tag are refused at start (one in millions for a few nodes).
   */
  public static String nodeTag(String nodeId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(nodeId.getBytes(StandardCharsets.UTF_8));
      return BASE64URL.encodeToString(digest).substring(0, TAG_LENGTH);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The node tag of an identifier of the right length, or empty. */
  public static Optional<String> tagOf(String identifier) {
    return identifier.length() == SpdtBinding.LENGTH ? Optional.of(identifier.substring(0, TAG_LENGTH)) : Optional.empty();
  }

  /** The tag of this registry's identifiers. */
  public String tag() {
    return tag;
  }

  /**
   * Issues an identifier for a session whose control connection comes from {@code peer} (null:
   * any address may bind it), expiring on {@code timer} (the session's event loop, as {@link
   * DataChannels#timer} gives it). Empty when {@code maxPending} identifiers already wait.
   */
  public Optional<SpdtBinding> issue(long sessionId, InetAddress peer, boolean anyAddress, Scheduler timer) {
    if (count.incrementAndGet() > maxPending) {
      count.decrementAndGet();
      return Optional.empty();
    }
    String key;
    SpdtBinding binding;
    do {
      key = tag + encode(KEY_BYTES).substring(0, SpdtBinding.KEY_LENGTH - TAG_LENGTH);
      binding = new SpdtBinding(this, sessionId, key, encode(SECRET_BYTES), anyAddress ? null : peer, timeout);
    } while (pending.putIfAbsent(key, binding) != null);
    binding.expireOn(timer);
    return Optional.of(binding);
  }

  /**
   * Takes the binding an identifier names, if it is pending, unexpired, and the connection comes
   * from the address it allows. A binding is taken at most once.
   */
  public Optional<SpdtBinding> take(String identifier, InetAddress from) {
    if (refused(from)) {
      return Optional.empty();
    }
    if (identifier.length() != SpdtBinding.LENGTH) {
      return failed(from);
    }
    String key = identifier.substring(0, SpdtBinding.KEY_LENGTH);
    SpdtBinding binding = pending.get(key);
    byte[] secret = identifier.substring(SpdtBinding.KEY_LENGTH).getBytes(StandardCharsets.US_ASCII);
    if (binding == null || !MessageDigest.isEqual(binding.secret(), secret) || !binding.allows(from)
        || !pending.remove(key, binding)) {
      return failed(from);
    }
    count.decrementAndGet();
    return Optional.of(binding);
  }

  /** Whether any identifier waits: the "service not ready" greeting depends on it (draft section 5). */
  public boolean hasPending() {
    return count.get() > 0;
  }

  /** Identifiers issued and not yet bound, withdrawn or expired. */
  public int pendingCount() {
    return count.get();
  }

  /** Withdraws a binding that expired, was replaced by a new SPSV, or whose session ended. */
  void withdraw(SpdtBinding binding) {
    if (pending.remove(binding.key(), binding)) {
      count.decrementAndGet();
    }
  }

  private Optional<SpdtBinding> failed(InetAddress from) {
    long now = nanoTime.getAsLong();
    failures.compute(from, (a, f) -> f == null || now - f.start > FAILURE_WINDOW.toNanos()
        ? new Failures(now, 1)
        : new Failures(f.start, f.count + 1));
    return Optional.empty();
  }

  private boolean refused(InetAddress from) {
    Failures f = failures.get(from);
    if (f == null) {
      return false;
    }
    if (nanoTime.getAsLong() - f.start > FAILURE_WINDOW.toNanos()) {
      failures.remove(from, f);
      return false;
    }
    return f.count >= MAX_FAILURES;
  }

  private String encode(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return BASE64URL.encodeToString(b);
  }

  private record Failures(long start, int count) {}
}
