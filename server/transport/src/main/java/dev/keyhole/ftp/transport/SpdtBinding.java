package dev.keyhole.ftp.transport;

import dev.keyhole.ftp.protocol.FtpReply;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;

/**
 * A data channel prepared by SPSV: an identifier waiting for a new connection to the control
 * port that sends {@code SPDT <identifier>}. Like a passive listener it serves one connection; it
 * is withdrawn when it expires, when the session sends another SPSV, or when the session ends.
 */
public final class SpdtBinding implements DataChannelSetup {

  /** The greeting of a connection admitted for SPDT only (draft-rosenau-ftp-single-port-05 section 5). */
  public static final FtpReply SPDT_ONLY_GREETING = FtpReply.of(220, "Too many users; only SPSV connections allowed");
  /** The answer to SPDT with an identifier that is unknown, expired, used, or from another address. */
  public static final FtpReply REFUSED = FtpReply.of(504, "Unknown, expired or used SPSV identifier.");
  private static final byte[] DATA_REPLY = "200 DATA\r\n".getBytes(StandardCharsets.US_ASCII);

  /** The node tag and the lookup key. */
  static final int KEY_LENGTH = SpdtRegistry.TAG_LENGTH + 6;
  static final int LENGTH = KEY_LENGTH + 22;

  private final SpdtRegistry registry;
  private final long sessionId;
  private final String key;
  private final byte[] secret;
  private final @Nullable InetAddress peer;
  private final Duration timeout;
  private final Sinks.One<DataConnection> connection = Sinks.one();
  private final AtomicBoolean taken = new AtomicBoolean();
  private volatile Disposable expiry = Disposables.disposed();
  private volatile Optional<Supplier<SslHandler>> tls = Optional.empty();

  SpdtBinding(SpdtRegistry registry, long sessionId, String key, String secret, @Nullable InetAddress peer,
      Duration timeout) {
    this.registry = registry;
    this.sessionId = sessionId;
    this.key = key;
    this.secret = secret.getBytes(StandardCharsets.US_ASCII);
    this.peer = peer;
    this.timeout = timeout;
  }

  /**
   * Starts the identifier's expiry on {@code timer}: the issuing session's event loop, so that
   * arming and cancelling it, once per transfer, wakes no other thread (on Reactor's shared timer
   * threads it did, as the passive listeners' timers did before them: see docs/benchmarks.md).
   */
  void expireOn(Scheduler timer) {
    expiry = timer.schedule(() -> close("no SPDT connection within " + timeout.toSeconds() + " s"),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  /** The session the identifier was issued to. */
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

  /**
   * Makes the connection that sent {@code SPDT} with this identifier the data connection: answers
   * {@code 200 DATA} (before the data handlers, so that the line is not counted as data), puts the
   * data handlers where the control-line decoder is, runs {@code beforeData} (the server starts TLS
   * there under PROT P), removes the decoder, which hands any bytes that followed the SPDT line to
   * the data handlers, and delivers the connection to the transfer. The one take-over of server and
   * ALG; call it on the channel's event loop, with the decoder paused after the SPDT line and every
   * other control handler already removed.
   *
   * @param decoder the pipeline name of the control-line decoder
   * @param idleTimeout how long the data connection may go without moving data
   */
  public void takeOver(Connection connection, String decoder, Duration idleTimeout, Consumer<Channel> beforeData) {
    deliver(dataConnection(connection, decoder, idleTimeout, beforeData));
  }

  /**
   * The take-over of {@link #takeOver} without a binding to deliver to: answers {@code 200 DATA}
   * and returns the data connection. A cluster node relaying an SPDT to the node that issued it
   * does this once that node has answered {@code 200 DATA} itself.
   */
  public static DataConnection dataConnection(Connection connection, String decoder, Duration idleTimeout,
      Consumer<Channel> beforeData) {
    Channel channel = connection.channel();
    channel.config().setAutoRead(false);
    channel.writeAndFlush(Unpooled.wrappedBuffer(DATA_REPLY));
    var inbound = DataInbound.installAfter(channel, decoder, idleTimeout);
    beforeData.accept(channel);
    channel.pipeline().remove(decoder);
    return new DataConnection(connection, channel, inbound);
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
