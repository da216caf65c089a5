package dev.keyhole.ftp.client;

import dev.keyhole.ftp.protocol.FtpReply;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/**
 * FTPS for the client (RFC 4217): explicit ({@code AUTH TLS} after the greeting) or implicit (TLS
 * from connect, {@code ftps://}), with data connections under {@code PROT P}. Data connections
 * are opened with the control connection's host and port as the TLS peer, so that they resume
 * its session, as servers that require session reuse (vsftpd, Keyhole) demand.
 *
 * @param implicit TLS from connect instead of AUTH TLS
 * @param context the client context with its trust settings
 * @param verifyHostname whether the certificate must name the host connected to
 */
public record ClientTls(boolean implicit, SslContext context, boolean verifyHostname) {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** Trusts the JDK's certificate authorities and checks the host name. */
  public static ClientTls system(boolean implicit) {
    return new ClientTls(implicit, build(SslContextBuilder.forClient()), true);
  }

  /** Trusts the certificates of a PEM file (a self-signed server's own, say) and checks the host name. */
  public static ClientTls trusting(Path pem, boolean implicit) {
    return new ClientTls(implicit, build(SslContextBuilder.forClient().trustManager(pem.toFile())), true);
  }

  /** Trusts any certificate: encryption without authentication, as {@code curl -k}. */
  public static ClientTls insecure(boolean implicit) {
    return new ClientTls(implicit, build(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)), false);
  }

  private static SslContext build(SslContextBuilder builder) {
    try {
      return builder.protocols(PROTOCOLS).build();
    } catch (SSLException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("cannot read the trusted certificates: " + e.getMessage(), e));
    }
  }

  /** A handler for a connection whose TLS peer is {@code peer} (the control connection's, for data too). */
  SslHandler newHandler(ByteBufAllocator allocator, InetSocketAddress peer) {
    SslHandler handler = context.newHandler(allocator, peer.getHostString(), peer.getPort());
    if (verifyHostname) {
      var parameters = handler.engine().getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      handler.engine().setSSLParameters(parameters);
    }
    return handler;
  }

  /** Completes when the handler's handshake has, fails with the root cause's message, or after {@code timeout}. */
  static Mono<Void> handshake(SslHandler handler, Duration timeout) {
    return Mono.<Void>create(sink -> handler.handshakeFuture().addListener(f -> {
          if (f.isSuccess()) {
            sink.success();
          } else {
            Throwable root = f.cause();
            while (root.getCause() != null && root.getCause() != root) {
              root = root.getCause();
            }
            sink.error(new FtpClientException("TLS handshake failed: " + root.getMessage(), f.cause()));
          }
        }))
        .timeout(timeout, Mono.error(() -> new FtpClientException("no TLS handshake within " + timeout.toSeconds() + " s",
            (FtpReply) null)));
  }
}
