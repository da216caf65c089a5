package dev.keyhole.ftp.server.tls.internal;

import dev.keyhole.ftp.protocol.AddressFormats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the TLS server name (SNI) of the client's hello, picks the certificate of the virtual
 * host it names (or the server's), and puts the TLS handler for it where it stood (Netty's
 * {@link AbstractSniHandler}, which buffers the hello and hands it on).
 */
final class HostSniHandler extends AbstractSniHandler<ServerTls> {

  private static final Logger log = LoggerFactory.getLogger(HostSniHandler.class);

  /** What the client's hello chose. */
  interface Chosen {
    /**
     * @param serverName the TLS server name, empty when the client sent none
     * @param context the session's context (give it back with {@link ServerTls#release})
     * @param handler the TLS handler now in the pipeline: what is written from here on is encrypted
     */
    void accept(Optional<String> serverName, SslContext context, SslHandler handler);
  }

  private final ServerTls server;
  private final Chosen chosen;

  HostSniHandler(ServerTls server, Chosen chosen) {
    super(server.settings().handshakeTimeout().toMillis());
    this.server = server;
    this.chosen = chosen;
  }

  @Override
  protected Future<ServerTls> lookup(ChannelHandlerContext ctx, @Nullable String hostname) {
    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(hostname == null ? server : server.forName(hostname));
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, @Nullable String hostname, Future<ServerTls> future)
      throws Exception {
    var tls = future.getNow();
    SslContext context = tls.contextForSession();
    SslHandler handler = tls.newHandler(context, ctx.alloc());
    ctx.pipeline().replace(this, TlsPipeline.TLS, handler);
    chosen.accept(Optional.ofNullable(hostname), context, handler);
    handler.handshakeFuture().addListener(f -> {
      if (!f.isSuccess()) {
        log.info("TLS handshake with {} failed: {}", AddressFormats.hostPort(ctx.channel().remoteAddress()),
            f.cause().toString());
        ctx.channel().close();
      }
    });
  }
}
