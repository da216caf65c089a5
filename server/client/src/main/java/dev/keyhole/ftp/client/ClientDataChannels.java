package dev.keyhole.ftp.client;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.DataConnection;
import dev.keyhole.ftp.transport.DataConnectionException;
import dev.keyhole.ftp.transport.DataInbound;
import dev.keyhole.ftp.transport.KeyholePipeline;
import dev.keyhole.ftp.transport.SpdtHandshake;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.tcp.TcpClient;

/**
 * The client's data channels of every kind: PASV and EPSV connect to the control connection's
 * address (right behind NAT, whatever a 227 names), SPSV connects to the control connection's own
 * address and port and does the SPDT handshake, PORT and EPRT listen on the control connection's
 * local address. Under PROT P each data connection is put under TLS with the control connection's
 * peer as the session key, so that the session is resumed.
 */
final class ClientDataChannels {

  /** A data channel set up by its command: a connection to come (or already made). */
  interface Prepared {
    Mono<DataConnection> connection();

    void close();
  }

  private final Channel control;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private final Duration timeout;
  private final Optional<ClientTls> tls;
  private final ClientResources resources;
  private final DataChannels activeListeners;
  private volatile InetSocketAddress spdtAddress;
  /** The name the control connection's TLS is for: data connections resume its session under it. */
  private final InetSocketAddress tlsPeer;

  ClientDataChannels(Channel control, Duration timeout, Optional<ClientTls> tls, ClientResources resources,
      InetSocketAddress tlsPeer) {
    this.tlsPeer = tlsPeer;
    this.control = control;
    this.remote = (InetSocketAddress) control.remoteAddress();
    this.local = (InetSocketAddress) control.localAddress();
    this.timeout = timeout;
    this.tls = tls;
    this.resources = resources;
    this.activeListeners = new DataChannels(resources.loops(), Optional.empty(), timeout, timeout);
    this.spdtAddress = remote;
  }

  /** Where SPDT connections go: the control connection's server unless set otherwise. */
  void spdtAddress(InetSocketAddress address) {
    this.spdtAddress = address;
  }

  /**
   * Sets up a data channel of this kind with its command, sent through {@code expectPositive}. No
   * silent switch to another kind: a kind asked for fails with the server's reply.
   */
  Mono<Prepared> prepare(DataChannelKind kind, Function<String, Mono<FtpReply>> expectPositive) {
    return switch (kind) {
      case PASV -> expectPositive.apply("PASV").flatMap(r -> AddressFormats.parseHostPort(r.text())
          .map(a -> passive(remote.getAddress(), a.getPort()))
          .orElseGet(() -> Mono.error(new FtpClientException("unreadable PASV reply", r))));
      case EPSV -> expectPositive.apply("EPSV").flatMap(r -> AddressFormats.parseEpsvReply(r.text())
          .map(port -> passive(remote.getAddress(), port))
          .orElseGet(() -> Mono.error(new FtpClientException("unreadable EPSV reply", r))));
      case SPSV -> expectPositive.apply("SPSV").flatMap(r -> {
        int open = r.text().lastIndexOf('(');
        int close = r.text().lastIndexOf(')');
        if (r.code() != 227 || open < 0 || close < open + 2) {
          return Mono.error(new FtpClientException("unreadable SPSV reply", r));
        }
        return spdt(r.text().substring(open + 1, close));
      });
      case PORT, EPRT -> active(kind, expectPositive);
    };
  }

  /**
   * PROT P: TLS on the data connection, this client being the TLS client whichever side opened
   * it, with the control connection's peer as the session key so that the session is resumed.
   */
  Mono<Void> secure(DataConnection data) {
    var channel = data.channel();
    if (tls.isEmpty() || channel.pipeline().get(SslHandler.class) != null) {
      return Mono.empty(); // clear, or an SPDT connection to an implicit-FTPS port: under TLS from connect
    }
    return Mono.<SslHandler>create(sink -> channel.eventLoop().execute(() -> {
          var handler = tls.get().newHandler(channel.alloc(), tlsPeer);
          channel.pipeline().addFirst(KeyholePipeline.TLS, handler);
          channel.read();
          sink.success(handler);
        }))
        .flatMap(handler -> ClientTls.handshake(handler, timeout))
        .doOnError(e -> data.dispose());
  }

  private Mono<Prepared> passive(InetAddress host, int port) {
    return connect(new InetSocketAddress(host, port), null).map(ClientDataChannels::ready);
  }

  private Mono<Prepared> spdt(String identifier) {
    var handshake = Sinks.<Void>empty();
    return connect(spdtAddress, new SpdtHandshake(identifier, handshake))
        .flatMap(data -> handshake.asMono().timeout(timeout).thenReturn(data)
            .onErrorMap(DataConnectionException.class, e -> new FtpClientException(e.getMessage(), (FtpReply) null))
            .doOnError(e -> data.dispose()))
        .map(ClientDataChannels::ready);
  }

  private static Prepared ready(DataConnection data) {
    return new Prepared() {
      @Override
      public Mono<DataConnection> connection() {
        return Mono.just(data);
      }

      @Override
      public void close() {
        data.dispose();
      }
    };
  }

  private Mono<DataConnection> connect(InetSocketAddress address, @Nullable SpdtHandshake handshake) {
    return TcpClient.newConnection()
        .runOn(resources.loops())
        // from the control connection's address: servers check that data comes from the same client
        .bindAddress(() -> new InetSocketAddress(local.getAddress(), 0))
        .remoteAddress(() -> address)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .doOnChannelInit((observer, channel, remoteAddress) -> {
          DataInbound.install(channel, timeout);
          if (handshake != null) {
            channel.pipeline().addFirst(SpdtHandshake.NAME, handshake);
            if (tls.isPresent() && tls.get().implicit()) {
              // the single port is the implicit-FTPS one: TLS before the greeting, SPDT inside it
              channel.pipeline().addFirst(KeyholePipeline.TLS, tls.get().newHandler(channel.alloc(), tlsPeer));
            }
          }
        })
        .connect()
        .map(DataConnection::of)
        .onErrorMap(e -> !(e instanceof FtpClientException),
            e -> new FtpClientException("cannot open the data connection to " + address, e));
  }

  private Mono<Prepared> active(DataChannelKind kind, Function<String, Mono<FtpReply>> expectPositive) {
    return activeListeners.openPassive(local.getAddress(), remote.getAddress(), control.eventLoop()).flatMap(listener -> {
      String command = kind == DataChannelKind.PORT && local.getAddress() instanceof Inet4Address v4
          ? "PORT " + AddressFormats.formatHostPort(v4, listener.port())
          : "EPRT " + AddressFormats.formatEprt(new InetSocketAddress(local.getAddress(), listener.port()));
      return expectPositive.apply(command).<Prepared>thenReturn(new Prepared() {
        @Override
        public Mono<DataConnection> connection() {
          return listener.connection();
        }

        @Override
        public void close() {
          listener.close();
        }
      }).doOnError(e -> listener.close());
    });
  }
}
