package dev.keyhole.ftp.server.tls;

/**
 * What a running server's FTPS is: its settings, the TLS implementation in use, and its
 * certificate's SHA-256 fingerprint as clients show it.
 *
 * @param settings the FTPS settings the server was built with
 * @param provider {@code OPENSSL} (BoringSSL) or {@code JDK}
 * @param fingerprint the certificate's SHA-256 fingerprint, colon-separated hex
 */
public record TlsInfo(TlsSettings settings, String provider, String fingerprint) {}
