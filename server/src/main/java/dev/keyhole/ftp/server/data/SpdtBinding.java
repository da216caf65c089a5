package dev.keyhole.ftp.server.data;

import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A data channel prepared by SPSV: an identifier waiting for a new connection to the control
 * port that sends {@code SPDT <identifier>}. Like a passive listener it serves one connection; it
 * is withdrawn when it expires, when the session sends another SPSV, or when the session ends.
 */
public final class SpdtBinding implements DataChannelSetup {

  static final int KEY_LENGTH = 8;
  static final int LENGTH = KEY_LENGTH + 22;

  private final SpdtRegistry registry;
  private final long sessionId;
  private final String key;
  private final byte[] secret;
  private final @Nullable InetAddress peer;
  private final Duration timeout;
  private final Sinks.One<DataConnection> connection = Sinks.one();
  private final AtomicBoolean taken = new AtomicBoolean();
  private final Disposable expiry;
  private volatile Optional<Supplier<SslHandler>> tls = Optional.empty();

  SpdtBinding(SpdtRegistry registry, long sessionId, String key, String secret, @Nullable InetAddress peer,
      Duration timeout) {
    this.registry = registry;
    this.sessionId = sessionId;
    this.key = key;
    this.secret = secret.getBytes(StandardCharsets.US_ASCII);
    this.peer = peer;
    this.timeout = timeout;
    this.expiry = Schedulers.parallel().schedule(
        () -> close("no SPDT connection within " + timeout.toSeconds() + " s"), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The identifier for the 227 reply. */
  public String identifier() {
    return key + new String(secret, StandardCharsets.US_ASCII);
  }

  /**
   * Protects the data connection with TLS from right after {@code 200 DATA}: the session was
   * under PROT P when it asked for the identifier.
   */
  public void secureWith(Supplier<SslHandler> handler) {
    this.tls = Optional.of(handler);
  }

  /** Makes the TLS handler to start on the connection, if any. */
  public Optional<Supplier<SslHandler>> tls() {
    return tls;
  }

  public long sessionId() {
    return sessionId;
  }

  String key() {
    return key;
  }

  byte[] secret() {
    return secret;
  }

  boolean allows(InetAddress from) {
    return peer == null || peer.equals(from);
  }

  /** Hands over the connection that sent the matching SPDT. */
  public void deliver(DataConnection data) {
    expiry.dispose();
    if (connection.tryEmitValue(data).isFailure()) {
      data.dispose();
    }
  }

  /**
   * The SPDT connection, once it arrives; the identifier's expiry bounds the wait (no timer of its
   * own, which raced with the expiry and lost an error).
   */
  @Override
  public Mono<DataConnection> connection() {
    return connection.asMono()
        .doOnSubscribe(s -> taken.set(true))
        .doOnError(e -> close());
  }

  @Override
  public void close() {
    close("SPSV identifier withdrawn");
  }

  private void close(String why) {
    registry.withdraw(this);
    expiry.dispose();
    if (connection.tryEmitError(new DataConnectionException(why)).isFailure() && !taken.get()) {
      // a connection was delivered but no transfer took it
      connection.asMono().subscribe(DataConnection::dispose, e -> { });
    }
  }
}
