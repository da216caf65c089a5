package dev.keyhole.ftp.server.tls.internal;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.transport.KeyholePipeline;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts TLS into a connection's pipeline and takes it out again. Every method runs on the
 * channel's event loop.
 */
public final class TlsPipeline {

  private static final Logger log = LoggerFactory.getLogger(TlsPipeline.class);

  /** The name of the TLS handler in control and data pipelines. */
  public static final String TLS = KeyholePipeline.TLS;

  /**
   * Marks an SPDT connection that sent its identifier inside TLS (to an implicit-FTPS listener):
   * the identifier, a secret the control connection delivered under TLS, already proves whose
   * connection it is, and its TLS session, begun before the identifier, cannot be its session's.
   */
  public static final AttributeKey<Boolean> IDENTIFIED_INSIDE_TLS = AttributeKey.valueOf(TlsPipeline.class, "spdtInsideTls");

  private TlsPipeline() {}

  /**
   * Starts TLS as the server at the front of the pipeline: what was written before (the 234 reply
   * to AUTH TLS) has left in clear. {@code established} gets the TLS session once the handshake is
   * done; a handshake that fails or times out closes the connection.
   */
  public static SslHandler startServer(Channel channel, SslHandler handler, Consumer<SSLSession> established) {
    startServerFirst(channel, handler);
    handler.handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        established.accept(handler.engine().getSession());
      } else {
        log.info("TLS handshake with {} failed: {}", AddressFormats.hostPort(channel.remoteAddress()), f.cause().toString());
        channel.close();
      }
    });
    return handler;
  }

  /**
   * Starts TLS as the server at the front of the pipeline with the certificate that the client's
   * TLS server name (SNI) chooses among the virtual hosts' ({@link ServerTls#forName}):
   * {@code chosen} gets the name, the session's context and the TLS handler once the client's
   * hello is read (write nothing before: it would leave in clear). A failed handshake closes the
   * connection.
   */
  public static void startServerBySni(Channel channel, ServerTls tls, SniChoice chosen) {
    channel.pipeline().addFirst(TLS, new HostSniHandler(tls, chosen::accept));
    if (!channel.config().isAutoRead()) {
      channel.read();
    }
  }

  /**
   * Starts TLS as the server right after {@code after} in the pipeline: on an SPDT connection,
   * after the command decoder, whose bytes not yet decoded (the client's first TLS record, sent
   * right after {@code 200 DATA}) then go to the TLS handler when the decoder is removed.
   */
  public static void startServerAfter(Channel channel, String after, SslHandler handler) {
    channel.pipeline().addAfter(after, TLS, handler);
  }

  /**
   * Starts TLS as the server at the front of the pipeline, and reads where the channel does not
   * read by itself (data connections read only when a transfer asks).
   */
  public static SslHandler startServerFirst(Channel channel, SslHandler handler) {
    channel.pipeline().addFirst(TLS, handler);
    if (!channel.config().isAutoRead()) {
      channel.read();
    }
    return handler;
  }

  /** What the client's hello chose: see {@link #startServerBySni}. */
  public interface SniChoice {
    /** The server name (empty: none sent), the session's context, and the TLS handler now in place. */
    void accept(Optional<String> serverName, io.netty.handler.ssl.SslContext context, SslHandler handler);
  }

  /** The TLS handler of a connection, if it has one. */
  public static Optional<SslHandler> of(Channel channel) {
    return Optional.ofNullable(channel.pipeline().get(SslHandler.class));
  }

  /**
   * CCC (RFC 4217 section 6): sends the TLS close_notify and goes on in clear. A client may answer
   * with its own close_notify or not (curl's --ftp-ssl-ccc-mode passive does not); a
   * {@link TlsRecordSkipper} drops TLS records that arrive before the first clear command.
   */
  public static void clearControl(Channel channel, String before) {
    of(channel).ifPresent(handler -> {
      handler.closeOutbound();
      channel.pipeline().remove(handler);
      channel.pipeline().addBefore(before, TlsRecordSkipper.NAME, new TlsRecordSkipper());
    });
  }
}
