package dev.keyhole.ftp.client;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.protocol.FtpReplyDecoder;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.DataConnection;
import dev.keyhole.ftp.transport.DataConnectionException;
import dev.keyhole.ftp.transport.DataInbound;
import dev.keyhole.ftp.transport.KeyholePipeline;
import dev.keyhole.ftp.transport.SpdtHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * A reactive FTP client: one control connection, one command at a time, with data connections of
 * every kind. For SPSV it opens the data connection to the control connection's own address and
 * port, waits for the greeting, sends SPDT and expects {@code 200 DATA}.
 *
 * <pre>{@code
 * FtpClient client = FtpClient.connect("127.0.0.1", 2121).block();
 * client.login("user", "secret").block();
 * client.download("/pub/file.iso", Path.of("file.iso"), client.choose(Optional.empty()), n -> {}).block();
 * client.quit().block();
 * }</pre>
 */
public final class FtpClient {

  private static final int CHUNK = 64 * 1024;
  private static final String TLS = KeyholePipeline.TLS;

  private final Connection control;
  private final ReplyQueue replies;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private final Duration timeout;
  private final DataChannels activeListeners;
  private volatile Set<String> features = Set.of();
  private final Optional<ClientTls> tls;
  private volatile boolean protectData;
  private final ClientResources resources;

  private FtpClient(Connection control, ReplyQueue replies, Duration timeout, Optional<ClientTls> tls,
      ClientResources resources) {
    this.resources = resources;
    this.control = control;
    this.tls = tls;
    this.replies = replies;
    this.remote = (InetSocketAddress) control.channel().remoteAddress();
    this.local = (InetSocketAddress) control.channel().localAddress();
    this.timeout = timeout;
    this.activeListeners = new DataChannels(resources.loops(), Optional.empty(), timeout, timeout);
  }

  /** Connects and reads the greeting, with a 30-second timeout for every step. */
  public static Mono<FtpClient> connect(String host, int port) {
    return connect(new InetSocketAddress(host, port), Duration.ofSeconds(30));
  }

  public static Mono<FtpClient> connect(InetSocketAddress address, Duration timeout) {
    return connect(address, timeout, Optional.empty());
  }

  /**
   * Connects with FTPS when {@code tls} is present: TLS from connect (implicit) or AUTH TLS after
   * the greeting (explicit); after {@link #login}, data connections are protected (PROT P).
   */
  public static Mono<FtpClient> connect(InetSocketAddress address, Duration timeout, Optional<ClientTls> tls) {
    return connect(address, timeout, tls, ClientResources.shared());
  }

  /** As {@link #connect(InetSocketAddress, Duration, Optional)}, on the given resources (see {@link ClientResources}). */
  public static Mono<FtpClient> connect(InetSocketAddress address, Duration timeout, Optional<ClientTls> tls,
      ClientResources resources) {
    var replies = new ReplyQueue();
    var implicitHandler = new SslHandler[1];
    return TcpClient.newConnection()
        .runOn(resources.loops())
        .remoteAddress(() -> address)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .doOnConnected(c -> {
          if (tls.isPresent() && tls.get().implicit()) {
            implicitHandler[0] = tls.get().newHandler(c.channel().alloc(), address);
            c.channel().pipeline().addFirst(TLS, implicitHandler[0]);
          }
          c.addHandlerLast(KeyholePipeline.REPLY_DECODER, new FtpReplyDecoder());
          c.inbound().receiveObject().ofType(FtpReply.class).subscribe(replies::offer,
              e -> replies.close(new FtpClientException("control connection failed", e)),
              () -> replies.close(new FtpClientException("the server closed the control connection", (FtpReply) null)));
        })
        .connect()
        .map(c -> new FtpClient(c, replies, timeout, tls, resources))
        .onErrorMap(e -> !(e instanceof FtpClientException), e -> new FtpClientException("cannot connect to " + address, e))
        .flatMap(client -> (implicitHandler[0] == null ? Mono.<Void>empty() : handshake(implicitHandler[0], timeout))
            .then(client.replies.next().timeout(timeout))
            .flatMap(greeting -> greeting.code() == 220
                ? Mono.just(client)
                : Mono.error(new FtpClientException("the server refused the connection", greeting)))
            .flatMap(FtpClient::startExplicitTls)
            .onErrorResume(e -> client.quietClose().then(Mono.error(e))));
  }

  private Mono<FtpClient> startExplicitTls() {
    if (tls.isEmpty() || tls.get().implicit()) {
      return Mono.just(this);
    }
    return command("AUTH TLS").flatMap(reply -> {
      if (reply.code() != 234) {
        return Mono.error(new FtpClientException("the server refused AUTH TLS", reply));
      }
      var handler = tls.get().newHandler(control.channel().alloc(), remote);
      control.channel().pipeline().addFirst(TLS, handler);
      return handshake(handler, timeout).thenReturn(this);
    });
  }

  private static Mono<Void> handshake(SslHandler handler, Duration timeout) {
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

  /** Whether data connections are protected by TLS (PROT P was accepted). */
  public boolean protectsData() {
    return protectData;
  }

  /** The control connection's peer. */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /** The extensions the server listed in FEAT (after {@link #login}), upper case. */
  public Set<String> features() {
    return features;
  }

  /** Sends one command line and returns the next reply, whatever its code. */
  public Mono<FtpReply> command(String line) {
    return Mono.<Void>create(sink -> control.channel()
            .writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8))
            .addListener(f -> {
              if (f.isSuccess()) {
                sink.success();
              } else {
                sink.error(new FtpClientException("cannot send " + line.split(" ")[0], f.cause()));
              }
            }))
        .then(replies.next())
        .timeout(timeout, Mono.error(() -> new FtpClientException("no reply to " + line.split(" ")[0] + " within "
            + timeout.toSeconds() + " s", (FtpReply) null)));
  }

  /** Sends a command and fails unless the reply is positive (1xx-3xx). */
  public Mono<FtpReply> expectPositive(String line) {
    return command(line).flatMap(reply -> reply.isPositive()
        ? Mono.just(reply)
        : Mono.error(new FtpClientException(line.split(" ")[0] + " refused", reply)));
  }

  /** USER, PASS (when asked for), TYPE I, then FEAT. */
  public Mono<Void> login(String user, String password) {
    return command("USER " + user)
        .flatMap(reply -> switch (reply.code()) {
          case 230 -> Mono.just(reply);
          case 331, 332 -> command("PASS " + password);
          default -> Mono.error(new FtpClientException("login refused", reply));
        })
        .flatMap(reply -> reply.code() == 230 || reply.code() == 202
            ? Mono.just(reply)
            : Mono.error(new FtpClientException("login refused", reply)))
        .then(Mono.defer(() -> tls.isEmpty() ? Mono.empty()
            : expectPositive("PBSZ 0").then(expectPositive("PROT P")).doOnNext(r -> protectData = true)))
        .then(expectPositive("TYPE I"))
        .then(command("FEAT"))
        .doOnNext(feat -> {
          var set = new HashSet<String>();
          if (feat.code() == 211) {
            for (String line : feat.lines().subList(1, Math.max(1, feat.lines().size() - 1))) {
              String t = line.trim();
              if (!t.isEmpty()) {
                set.add(t.split(" ")[0].toUpperCase(Locale.ROOT));
              }
            }
          }
          features = Set.copyOf(set);
        })
        .then();
  }

  /**
   * The data channel to use: the one asked for, else the best the server's FEAT offers (EPSV,
   * then SPSV, then PASV).
   */
  public DataChannelKind choose(Optional<DataChannelKind> requested) {
    if (requested.isPresent()) {
      return requested.get();
    }
    if (features.contains("EPSV")) {
      return DataChannelKind.EPSV;
    }
    if (features.contains("SPSV")) {
      return DataChannelKind.SPSV;
    }
    return DataChannelKind.PASV;
  }

  /** Downloads {@code path} into {@code target}; completes with the bytes received. */
  public Mono<Long> download(String path, Path target, DataChannelKind mode, LongConsumer progress) {
    return transfer(mode, "RETR " + path, data -> {
      var count = new AtomicLong();
      return Mono.using(
          () -> FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING),
          file -> data.inbound().receive()
              .publishOn(resources.blocking(), 16)
              .doOnNext(buf -> {
                try {
                  int n = buf.readableBytes();
                  while (buf.isReadable()) {
                    buf.readBytes(file, buf.readableBytes());
                  }
                  progress.accept(count.addAndGet(n));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                } finally {
                  buf.release();
                }
              })
              .then(Mono.fromSupplier(count::get)),
          FtpClient::closeQuietly)
          .subscribeOn(resources.blocking());
    });
  }

  /**
   * Downloads {@code path}, handing each buffer to {@code consumer} on the connection's event loop
   * (the consumer must not keep or release it); completes with the bytes received.
   */
  public Mono<Long> retrieve(String path, DataChannelKind mode, Consumer<ByteBuf> consumer) {
    return transfer(mode, "RETR " + path, data -> data.inbound().receive()
        .reduce(0L, (count, buf) -> {
          try {
            consumer.accept(buf);
            return count + buf.readableBytes();
          } finally {
            buf.release();
          }
        }));
  }

  /** Downloads {@code path} into memory; for listings and small files. */
  public Mono<byte[]> fetch(String command, DataChannelKind mode) {
    return transfer(mode, command, data -> data.inbound().receive()
        .reduce(Unpooled.buffer(), (all, buf) -> {
          all.writeBytes(buf);
          buf.release();
          return all;
        })
        .map(all -> {
          byte[] bytes = new byte[all.readableBytes()];
          all.readBytes(bytes);
          all.release();
          return bytes;
        }));
  }

  /** LIST output as text. */
  public Mono<String> list(String path, DataChannelKind mode) {
    return fetch(path.isEmpty() ? "LIST" : "LIST " + path, mode).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** Uploads {@code source} to {@code path}; completes with the bytes sent. */
  public Mono<Long> upload(Path source, String path, DataChannelKind mode, LongConsumer progress) {
    return upload(path, mode, progress, () -> readChunks(source));
  }

  /** Uploads the bytes of a publisher (released by the client) to {@code path}. */
  public Mono<Long> upload(String path, DataChannelKind mode, LongConsumer progress, Supplier<Flux<ByteBuf>> content) {
    return transfer(mode, "STOR " + path, data -> {
      var count = new AtomicLong();
      Flux<ByteBuf> counted = content.get().doOnNext(buf -> progress.accept(count.addAndGet(buf.readableBytes())));
      return data.outbound().send(counted).then().then(data.close()).then(Mono.fromSupplier(count::get));
    });
  }

  /** DELE. */
  public Mono<Void> delete(String path) {
    return expectPositive("DELE " + path).then();
  }

  /** SIZE, or empty when the server does not say. */
  public Mono<Long> size(String path) {
    return command("SIZE " + path).flatMap(r -> r.code() == 213 && r.text().trim().matches("\\d+")
        ? Mono.just(Long.parseLong(r.text().trim()))
        : Mono.empty());
  }

  /** QUIT, then close. */
  public Mono<Void> quit() {
    return command("QUIT").onErrorResume(e -> Mono.empty()).then(quietClose());
  }

  /** Closes the control connection without QUIT. */
  public Mono<Void> quietClose() {
    return Mono.fromRunnable(control::dispose).then(control.onDispose());
  }

  /** The frame of a transfer: set up the data channel, send the command, move the bytes, read the final reply. */
  private <T> Mono<T> transfer(DataChannelKind mode, String command, Function<DataConnection, Mono<T>> work) {
    return prepare(mode).flatMap(prepared -> expectPreliminary(command)
        .then(prepared.connection())
        .flatMap(data -> secure(data).thenReturn(data))
        .flatMap(data -> work.apply(data).flatMap(result -> data.close().thenReturn(result))
            .doFinally(s -> data.dispose()))
        .flatMap(result -> replies.next().timeout(timeout).flatMap(reply -> reply.code() == 226 || reply.code() == 250
            ? Mono.just(result)
            : Mono.error(new FtpClientException(command.split(" ")[0] + " failed", reply))))
        .doFinally(s -> prepared.close()));
  }

  /**
   * PROT P: TLS on the data connection, this client being the TLS client whichever side opened
   * it, with the control connection's peer as the session key so that the session is resumed.
   */
  private Mono<Void> secure(DataConnection data) {
    var channel = data.channel();
    if (!protectData || tls.isEmpty() || channel.pipeline().get(SslHandler.class) != null) {
      return Mono.empty(); // clear, or an SPDT connection to an implicit-FTPS port: under TLS from connect
    }
    return Mono.<SslHandler>create(sink -> channel.eventLoop().execute(() -> {
          var handler = tls.get().newHandler(channel.alloc(), remote);
          channel.pipeline().addFirst(TLS, handler);
          channel.read();
          sink.success(handler);
        }))
        .flatMap(handler -> handshake(handler, timeout))
        .doOnError(e -> data.dispose());
  }

  private Mono<FtpReply> expectPreliminary(String command) {
    return command(command).flatMap(reply -> reply.isPreliminary()
        ? Mono.just(reply)
        : Mono.error(new FtpClientException(command.split(" ")[0] + " refused", reply)));
  }

  /** A data channel set up by its command: a connection to come (or already made). */
  private interface Prepared {
    Mono<DataConnection> connection();

    void close();
  }

  private Mono<Prepared> prepare(DataChannelKind mode) {
    Mono<Prepared> prepared = switch (mode) {
      case PASV -> expectPositive("PASV").flatMap(r -> AddressFormats.parseHostPort(r.text())
          .map(a -> passive(remote.getAddress(), a.getPort()))
          .orElseGet(() -> Mono.error(new FtpClientException("unreadable PASV reply", r))));
      case EPSV -> expectPositive("EPSV").flatMap(r -> AddressFormats.parseEpsvReply(r.text())
          .map(port -> passive(remote.getAddress(), port))
          .orElseGet(() -> Mono.error(new FtpClientException("unreadable EPSV reply", r))));
      case SPSV -> expectPositive("SPSV").flatMap(r -> {
        int open = r.text().lastIndexOf('(');
        int close = r.text().lastIndexOf(')');
        if (r.code() != 227 || open < 0 || close < open + 2) {
          return Mono.error(new FtpClientException("unreadable SPSV reply", r));
        }
        return spdt(r.text().substring(open + 1, close));
      });
      case PORT, EPRT -> active(mode);
    };
    // no silent switch to another kind: a kind asked for fails with the server's reply, and the
    // automatic choice ({@link #choose}) already follows what FEAT offers
    return prepared;
  }

  private Mono<Prepared> passive(InetAddress host, int port) {
    // connect to the control connection's address, not the one in the reply: right behind NAT
    return connectData(new InetSocketAddress(host, port), null).map(FtpClient::ready);
  }

  private Mono<Prepared> spdt(String identifier) {
    var handshake = Sinks.<Void>empty();
    return connectData(remote, new SpdtHandshake(identifier, handshake))
        .flatMap(data -> handshake.asMono().timeout(timeout).thenReturn(data)
            .onErrorMap(DataConnectionException.class, e -> new FtpClientException(e.getMessage(), (FtpReply) null))
            .doOnError(e -> data.dispose()))
        .map(FtpClient::ready);
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

  private Mono<DataConnection> connectData(InetSocketAddress address, @Nullable SpdtHandshake handshake) {
    return TcpClient.newConnection()
        .runOn(resources.loops())
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
              channel.pipeline().addFirst(TLS, tls.get().newHandler(channel.alloc(), remote));
            }
          }
        })
        .connect()
        .map(DataConnection::of)
        .onErrorMap(e -> !(e instanceof FtpClientException), e -> new FtpClientException("cannot open the data connection to " + address, e));
  }

  private Mono<Prepared> active(DataChannelKind mode) {
    return activeListeners.openPassive(local.getAddress(), remote.getAddress(), control.channel().eventLoop()).flatMap(listener -> {
      String command = mode == DataChannelKind.PORT && local.getAddress() instanceof Inet4Address v4
          ? "PORT " + AddressFormats.formatHostPort(v4, listener.port())
          : "EPRT " + AddressFormats.formatEprt(new InetSocketAddress(local.getAddress(), listener.port()));
      return expectPositive(command).<Prepared>thenReturn(new Prepared() {
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

  private Flux<ByteBuf> readChunks(Path source) {
    return Flux.<ByteBuf, FileChannel>generate(() -> FileChannel.open(source, StandardOpenOption.READ), (file, sink) -> {
      try {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        if (file.read(buf) < 0) {
          sink.complete();
        } else {
          sink.next(Unpooled.wrappedBuffer(buf.flip()));
        }
      } catch (IOException e) {
        sink.error(e);
      }
      return file;
    }, FtpClient::closeQuietly).subscribeOn(resources.blocking());
  }

  private static void closeQuietly(FileChannel file) {
    try {
      file.close();
    } catch (IOException e) {
      // reading or done writing: nothing to recover
    }
  }
}
