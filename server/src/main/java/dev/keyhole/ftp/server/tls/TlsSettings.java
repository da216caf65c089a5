package dev.keyhole.ftp.server.tls;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * FTPS settings (RFC 4217).
 *
 * @param certificate the server's certificate and key
 * @param explicit whether {@code AUTH TLS} is offered on the plain listeners
 * @param implicitAddresses listeners on which TLS starts at connect (implicit FTPS, usually port 990)
 * @param requireTls refuse login and transfers without TLS: USER answers 530 before AUTH TLS,
 *     a transfer under {@code PROT C} answers 521
 * @param requireTlsForAnonymous whether the requirement applies to anonymous users too
 * @param requireSessionReuse refuse (522) a protected data connection that does not resume the
 *     control connection's TLS session: only the client that holds that session can use it
 * @param handshakeTimeout a TLS handshake that takes longer fails and its connection is closed
 */
public record TlsSettings(
    TlsCertificate certificate,
    boolean explicit,
    List<InetSocketAddress> implicitAddresses,
    boolean requireTls,
    boolean requireTlsForAnonymous,
    boolean requireSessionReuse,
    Duration handshakeTimeout) {

  /** Copies the implicit addresses. */
  public TlsSettings {
    implicitAddresses = List.copyOf(implicitAddresses);
    if (!explicit && implicitAddresses.isEmpty()) {
      throw new IllegalArgumentException("TLS needs explicit FTPS or an implicit listener");
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("the handshake timeout must be positive");
    }
  }

  /** Where a self-signed certificate is kept unless told otherwise: {@code ~/.keyhole/tls}. */
  public static Path defaultSelfSignedDirectory() {
    return Path.of(System.getProperty("user.home"), ".keyhole", "tls");
  }

  /**
   * Explicit FTPS with a self-signed certificate made at the first start in
   * {@link #defaultSelfSignedDirectory()} and reused afterwards: the embedded default.
   */
  public static TlsSettings selfSigned() {
    return explicit(new TlsCertificate.SelfSigned(defaultSelfSignedDirectory()));
  }

  /** Explicit FTPS with this certificate; nothing required, sessions need not be reused. */
  public static TlsSettings explicit(TlsCertificate certificate) {
    return new TlsSettings(certificate, true, List.of(), false, false, false, Duration.ofSeconds(10));
  }

  /** A copy with implicit-FTPS listeners on these addresses. */
  public TlsSettings withImplicitAddresses(List<InetSocketAddress> addresses) {
    return new TlsSettings(certificate, explicit, addresses, requireTls, requireTlsForAnonymous,
        requireSessionReuse, handshakeTimeout);
  }

  /** A copy that requires TLS for login and transfers, for anonymous users too or not. */
  public TlsSettings withRequireTls(boolean required, boolean forAnonymous) {
    return new TlsSettings(certificate, explicit, implicitAddresses, required, forAnonymous,
        requireSessionReuse, handshakeTimeout);
  }

  /** A copy that requires protected data connections to resume the control connection's TLS session. */
  public TlsSettings withRequireSessionReuse(boolean required) {
    return new TlsSettings(certificate, explicit, implicitAddresses, requireTls, requireTlsForAnonymous,
        required, handshakeTimeout);
  }

  /** A copy with this limit on a TLS handshake. */
  public TlsSettings withHandshakeTimeout(Duration timeout) {
    return new TlsSettings(certificate, explicit, implicitAddresses, requireTls, requireTlsForAnonymous,
        requireSessionReuse, timeout);
  }

  /** A copy that offers AUTH TLS, or not. */
  public TlsSettings withExplicit(boolean offered) {
    return new TlsSettings(certificate, offered, implicitAddresses, requireTls, requireTlsForAnonymous,
        requireSessionReuse, handshakeTimeout);
  }
}
