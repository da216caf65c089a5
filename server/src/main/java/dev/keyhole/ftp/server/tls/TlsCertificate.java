package dev.keyhole.ftp.server.tls;

import java.nio.file.Path;

/** Where the server's certificate and private key come from. */
public sealed interface TlsCertificate {

  /**
   * A certificate chain and its private key in PEM files (the key unencrypted, PKCS#8 or PKCS#1).
   *
   * @param certificateChain the server certificate first, then its intermediates
   * @param privateKey the key of the first certificate
   */
  record PemFiles(Path certificateChain, Path privateKey) implements TlsCertificate {}

  /**
   * A self-signed certificate kept in {@code directory} ({@code cert.pem}, {@code key.pem}):
   * made at the first start and reused afterwards, so that clients that pinned it keep working.
   */
  record SelfSigned(Path directory) implements TlsCertificate {}
}
