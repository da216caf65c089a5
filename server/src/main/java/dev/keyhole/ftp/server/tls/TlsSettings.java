package dev.keyhole.ftp.server.tls;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * FTPS settings (RFC 4217), immutable: start from {@link #explicit(TlsCertificate)} or
 * {@link #selfSigned()} and change with the {@code with} methods.
 */
public final class TlsSettings {

  private final TlsCertificate certificate;
  private final boolean explicit;
  private final List<InetSocketAddress> implicitAddresses;
  private final boolean requireTls;
  private final boolean requireTlsForAnonymous;
  private final boolean requireSessionReuse;
  private final Duration handshakeTimeout;

  private TlsSettings(TlsCertificate certificate, boolean explicit, List<InetSocketAddress> implicitAddresses,
      boolean requireTls, boolean requireTlsForAnonymous, boolean requireSessionReuse, Duration handshakeTimeout) {
    if (!explicit && implicitAddresses.isEmpty()) {
      throw new IllegalArgumentException("TLS needs explicit FTPS or an implicit listener");
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("the handshake timeout must be positive");
    }
    this.certificate = certificate;
    this.explicit = explicit;
    this.implicitAddresses = List.copyOf(implicitAddresses);
    this.requireTls = requireTls;
    this.requireTlsForAnonymous = requireTlsForAnonymous;
    this.requireSessionReuse = requireSessionReuse;
    this.handshakeTimeout = handshakeTimeout;
  }

  /** The server's certificate and key. */
  public TlsCertificate certificate() {
    return certificate;
  }

  /** Whether {@code AUTH TLS} is offered on the plain listeners. */
  public boolean explicit() {
    return explicit;
  }

  /** Listeners on which TLS starts at connect (implicit FTPS, usually port 990). */
  public List<InetSocketAddress> implicitAddresses() {
    return implicitAddresses;
  }

  /**
   * Whether login and transfers need TLS: USER answers 530 before AUTH TLS, a transfer under
   * {@code PROT C} answers 521.
   */
  public boolean requireTls() {
    return requireTls;
  }

  /** Whether {@link #requireTls()} applies to anonymous users too. */
  public boolean requireTlsForAnonymous() {
    return requireTlsForAnonymous;
  }

  /**
   * Whether a protected data connection that does not resume the control connection's TLS
   * session is refused (522): only the client that holds that session can use it.
   */
  public boolean requireSessionReuse() {
    return requireSessionReuse;
  }

  /** A TLS handshake that takes longer fails and its connection is closed. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
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

  /** A copy with another certificate (a virtual host's own). */
  public TlsSettings withCertificate(TlsCertificate other) {
    return new TlsSettings(other, explicit, implicitAddresses, requireTls, requireTlsForAnonymous, requireSessionReuse,
        handshakeTimeout);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsSettings t && certificate.equals(t.certificate) && explicit == t.explicit
        && implicitAddresses.equals(t.implicitAddresses) && requireTls == t.requireTls
        && requireTlsForAnonymous == t.requireTlsForAnonymous && requireSessionReuse == t.requireSessionReuse
        && handshakeTimeout.equals(t.handshakeTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(certificate, explicit, implicitAddresses, requireTls, requireTlsForAnonymous,
        requireSessionReuse, handshakeTimeout);
  }

  @Override
  public String toString() {
    return "TlsSettings[certificate=" + certificate + ", explicit=" + explicit + ", implicit=" + implicitAddresses
        + ", requireTls=" + requireTls + ", requireTlsForAnonymous=" + requireTlsForAnonymous
        + ", requireSessionReuse=" + requireSessionReuse + ", handshakeTimeout=" + handshakeTimeout + "]";
  }
}
