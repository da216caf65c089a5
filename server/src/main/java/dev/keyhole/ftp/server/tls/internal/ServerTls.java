package dev.keyhole.ftp.server.tls.internal;

import dev.keyhole.ftp.server.tls.TlsCertificate;
import dev.keyhole.ftp.server.tls.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The server side of TLS, made once per server: the context (BoringSSL through Netty's OpenSSL
 * provider where it loads, else the JDK's), TLS 1.2 and 1.3 only, and a handler per connection.
 * Session resumption is on for both versions (a session cache for TLS 1.2, tickets for TLS 1.3):
 * data connections resume the control connection's session.
 */
public final class ServerTls {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final long SESSION_TIMEOUT_SECONDS = 3600;

  private static final SecureRandom RANDOM = new SecureRandom();
  /** Contexts kept for later sessions, at most. */
  private static final int MAX_IDLE = 256;

  private final TlsSettings settings;
  /** Parsed once: a context per session (where reuse is required) costs no key parsing. */
  private final X509Certificate[] certificateChain;
  private final PrivateKey privateKey;
  private final SslContext shared;
  private final Set<SslContext> leased = ConcurrentHashMap.newKeySet();
  private final Deque<SslContext> idle = new ConcurrentLinkedDeque<>();
  private final SslProvider provider;
  private final String fingerprint;
  /** The virtual hosts' own TLS, by lower-case name and alias; empty without hosts that have a certificate. */
  private Map<String, ServerTls> hosts = Map.of();

  private ServerTls(TlsSettings settings, X509Certificate[] certificateChain, PrivateKey privateKey, SslProvider provider,
      String fingerprint) throws IOException {
    this.settings = settings;
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
    this.provider = provider;
    this.fingerprint = fingerprint;
    this.shared = build();
  }

  /** Reads (or, for a self-signed certificate, makes at first) the certificate and builds the context. */
  public static ServerTls create(TlsSettings settings) throws IOException {
    var files = switch (settings.certificate()) {
      case TlsCertificate.PemFiles pem -> pem;
      case TlsCertificate.SelfSigned self -> SelfSignedCertificate.ensure(self.directory());
    };
    var provider = chooseProvider();
    byte[] chain = Files.readAllBytes(files.certificateChain());
    byte[] key = Files.readAllBytes(files.privateKey());
    try {
      return new ServerTls(settings, certificates(chain), privateKey(key), provider, fingerprint(chain));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new IOException("cannot use the TLS certificate " + files.certificateChain() + " and key "
          + files.privateKey() + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #create(TlsSettings)}, with the certificates of virtual hosts, by host name (and
   * alias): a client's TLS server name (SNI), or its HOST before AUTH TLS, chooses one; other
   * names get the server's. Hosts sharing a certificate share its contexts.
   */
  public static ServerTls create(TlsSettings settings, Map<String, TlsCertificate> hostCertificates) throws IOException {
    var server = create(settings);
    var byCertificate = new HashMap<TlsCertificate, ServerTls>();
    var byName = new HashMap<String, ServerTls>();
    for (var entry : hostCertificates.entrySet()) {
      var tls = byCertificate.get(entry.getValue());
      if (tls == null) {
        tls = create(settings.withCertificate(entry.getValue()));
        byCertificate.put(entry.getValue(), tls);
      }
      byName.put(entry.getKey().toLowerCase(Locale.ROOT), tls);
    }
    server.hosts = Map.copyOf(byName);
    return server;
  }

  /** Whether virtual hosts have certificates of their own: then the server reads the client's SNI. */
  public boolean hasHostCertificates() {
    return !hosts.isEmpty();
  }

  /** The TLS of the host a name (SNI, or HOST) names: its own, or the server's. */
  public ServerTls forName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return hosts.getOrDefault(n.endsWith(".") ? n.substring(0, n.length() - 1) : n, this);
  }

  /**
   * BoringSSL where it loads, else the JDK's TLS; the system property {@code keyhole.tls.provider}
   * ({@code jdk} or {@code openssl}) chooses, for comparisons and for tests of the fallback.
   */
  static SslProvider chooseProvider() {
    String chosen = System.getProperty("keyhole.tls.provider", "");
    if (chosen.equalsIgnoreCase("jdk")) {
      return SslProvider.JDK;
    }
    if (chosen.equalsIgnoreCase("openssl") && !OpenSsl.isAvailable()) {
      throw new IllegalStateException("the OpenSSL provider does not load: " + OpenSsl.unavailabilityCause());
    }
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  private SslContext build() throws IOException {
    var context = SslContextBuilder.forServer(privateKey, certificateChain)
        .sslProvider(provider)
        .protocols(PROTOCOLS)
        .sessionTimeout(SESSION_TIMEOUT_SECONDS)
        .build();
    if (context.sessionContext() instanceof OpenSslServerSessionContext sessions) {
      // Netty turns BoringSSL's tickets off; TLS 1.3 resumes only with them
      sessions.setTicketKeys(newTicketKey());
    }
    return context;
  }

  /**
   * The context for one control session and its data connections. Where session reuse is required
   * each session gets a context of its own, with its own session cache and ticket key: a data
   * connection can then resume only the session of its own control connection, not another that
   * a thief holds with the same server (vsftpd gets this from its process per session). Otherwise
   * all sessions share one. The key and certificates were parsed once, so a context costs about
   * what a handshake does (docs/security.md).
   */
  public SslContext contextForSession() throws IOException {
    if (!settings.requireSessionReuse()) {
      return shared;
    }
    if (provider != SslProvider.OPENSSL) {
      return build();
    }
    SslContext context = idle.pollFirst();
    if (context == null) {
      context = build();
    } else {
      renew(context);
    }
    leased.add(context);
    return context;
  }

  /**
   * A context a closed session used, made fit for another: a new session-ID context and a new
   * ticket key, so that no session negotiated before (cached or in a client's ticket) resumes on
   * it. This is what keeps a per-session context as cheap as a handshake: building one from the
   * key costs about 10 ms of CPU with BoringSSL, which a flood of connections turned into 35 s per
   * 1,000; renewing costs microseconds.
   */
  private static void renew(SslContext context) {
    var sessions = (OpenSslServerSessionContext) context.sessionContext();
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    sessions.setSessionIdContext(id);
    sessions.setTicketKeys(newTicketKey());
  }

  /**
   * Takes back the context of a session that ended, for a later session; a context this server
   * did not lease (the shared one) is ignored, and so is a second release.
   */
  public void release(SslContext context) {
    if (!leased.remove(context)) {
      // a host's context goes back to that host's TLS
      hosts.values().forEach(host -> host.release(context));
      return;
    }
    if (idle.size() < MAX_IDLE) {
      idle.addFirst(context);
    } else {
      ReferenceCountUtil.release(context);
    }
  }

  /** The context every session shares. */
  public SslContext sharedContext() {
    return shared;
  }

  private static X509Certificate[] certificates(byte[] pem) throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
        .map(X509Certificate.class::cast)
        .toArray(X509Certificate[]::new);
  }

  /** A PEM private key: PKCS#8, or PKCS#1 and SEC 1 (BEGIN RSA/EC PRIVATE KEY). */
  private static PrivateKey privateKey(byte[] pem) throws IOException {
    try (var parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
      Object parsed = parser.readObject();
      var converter = new JcaPEMKeyConverter();
      return switch (parsed) {
        case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        case null, default -> throw new IOException("no private key in the key file");
      };
    }
  }

  private static OpenSslSessionTicketKey newTicketKey() {
    var random = RANDOM;
    byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
    byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
    byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
    random.nextBytes(name);
    random.nextBytes(hmac);
    random.nextBytes(aes);
    return new OpenSslSessionTicketKey(name, hmac, aes);
  }

  private static String fingerprint(byte[] chain) throws GeneralSecurityException {
    var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(chain));
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
  }

  public TlsSettings settings() {
    return settings;
  }

  /** {@code OPENSSL} (BoringSSL) or {@code JDK}. */
  public SslProvider provider() {
    return provider;
  }

  /** The SHA-256 fingerprint of the server certificate, as clients show it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** A server-side handler for one connection, control or data, of a session with this context. */
  public SslHandler newHandler(SslContext context, ByteBufAllocator allocator) {
    SslHandler handler = context.newHandler(allocator);
    handler.setHandshakeTimeout(settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return handler;
  }
}
