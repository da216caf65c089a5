package dev.keyhole.ftp.client;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.protocol.FtpReplyDecoder;
import dev.keyhole.ftp.transport.DataChannelKind;
import dev.keyhole.ftp.transport.DataConnection;
import dev.keyhole.ftp.transport.KeyholePipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

  private static final String TLS = KeyholePipeline.TLS;

  private final Connection control;
  private final ReplyQueue replies;
  private final InetSocketAddress remote;
  /** The name (and port) TLS is for: the server name sent (SNI), checked, and keying session reuse. */
  private final InetSocketAddress tlsPeer;
  private final Duration timeout;
  private final ClientDataChannels dataChannels;
  private final LocalFiles files;
  private volatile Set<String> features = Set.of();
  private final Optional<ClientTls> tls;
  private volatile boolean protectData;
  private volatile @Nullable FtpReply greeting;
  private final ClientResources resources;

  private FtpClient(Connection control, ReplyQueue replies, Duration timeout, Optional<ClientTls> tls,
      ClientResources resources, InetSocketAddress tlsPeer) {
    this.resources = resources;
    this.control = control;
    this.tls = tls;
    this.replies = replies;
    this.remote = (InetSocketAddress) control.channel().remoteAddress();
    this.tlsPeer = tlsPeer;
    this.timeout = timeout;
    this.dataChannels = new ClientDataChannels(control.channel(), timeout, tls, resources, tlsPeer);
    this.files = new LocalFiles(resources.blocking());
  }

  /** Connects and reads the greeting, with a 30-second timeout for every step. */
  public static Mono<FtpClient> connect(String host, int port) {
    return connect(new InetSocketAddress(host, port), Duration.ofSeconds(30));
  }

  /** Connects in clear text and reads the greeting, each step within {@code timeout}. */
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

  /**
   * As {@link #connect(InetSocketAddress, Duration, Optional)}, from the local address
   * {@code source} (null: the kernel chooses); the data connections leave from it too, as a
   * server checks that they come from the control connection's client.
   */
  public static Mono<FtpClient> connect(InetSocketAddress address, @Nullable InetAddress source, Duration timeout,
      Optional<ClientTls> tls) {
    return connect(address, source, timeout, tls, ClientResources.shared());
  }

  /** As {@link #connect(InetSocketAddress, Duration, Optional)}, on the given resources (see {@link ClientResources}). */
  public static Mono<FtpClient> connect(InetSocketAddress address, Duration timeout, Optional<ClientTls> tls,
      ClientResources resources) {
    return connect(address, null, timeout, tls, resources);
  }

  /** As {@link #connect(InetSocketAddress, InetAddress, Duration, Optional)}, on the given resources. */
  public static Mono<FtpClient> connect(InetSocketAddress address, @Nullable InetAddress source, Duration timeout,
      Optional<ClientTls> tls, ClientResources resources) {
    return connect(address, source, null, timeout, tls, resources);
  }

  /**
   * Connects to {@code address} for the virtual host {@code virtualHost} (RFC 7151; null: none):
   * sends {@code HOST virtualHost} after the greeting and before AUTH TLS, and uses the name for
   * TLS (the server name sent, SNI, and the name the certificate must have). A server that does not
   * know HOST ({@code 500}, {@code 502}) is used as it is; one that refuses the name fails the
   * connection. How {@code keyhole ftp} connects to a URL that names a host, or to {@code
   * --connect-to} for it.
   */
  public static Mono<FtpClient> connect(InetSocketAddress address, @Nullable InetAddress source,
      @Nullable String virtualHost, Duration timeout, Optional<ClientTls> tls, ClientResources resources) {
    var tlsPeer = virtualHost != null ? InetSocketAddress.createUnresolved(virtualHost, address.getPort()) : address;
    var replies = new ReplyQueue();
    var implicitHandler = new SslHandler[1];
    var tcp = TcpClient.newConnection().runOn(resources.loops());
    return (source == null ? tcp : tcp.bindAddress(() -> new InetSocketAddress(source, 0)))
        .remoteAddress(() -> address)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .doOnConnected(c -> {
          if (tls.isPresent() && tls.get().implicit()) {
            implicitHandler[0] = tls.get().newHandler(c.channel().alloc(), tlsPeer);
            c.channel().pipeline().addFirst(TLS, implicitHandler[0]);
          }
          c.addHandlerLast(KeyholePipeline.REPLY_DECODER, new FtpReplyDecoder());
          c.inbound().receiveObject().ofType(FtpReply.class).subscribe(replies::offer,
              e -> replies.close(new FtpClientException("control connection failed", e)),
              () -> replies.close(new FtpClientException("the server closed the control connection", (FtpReply) null)));
        })
        .connect()
        .map(c -> new FtpClient(c, replies, timeout, tls, resources, tlsPeer))
        .onErrorMap(e -> !(e instanceof FtpClientException), e -> new FtpClientException("cannot connect to " + address, e))
        .flatMap(client -> (implicitHandler[0] == null ? Mono.<Void>empty() : ClientTls.handshake(implicitHandler[0], timeout))
            .then(client.replies.next().timeout(timeout))
            .flatMap(greeting -> greeting.code() == 220
                ? Mono.fromSupplier(() -> {
                  client.greeting = greeting;
                  return client;
                })
                : Mono.error(new FtpClientException("the server refused the connection", greeting)))
            .flatMap(c -> virtualHost == null ? Mono.just(c) : c.chooseHost(virtualHost))
            .flatMap(FtpClient::startExplicitTls)
            .onErrorResume(e -> client.quietClose().then(Mono.error(e))));
  }

  /** HOST (RFC 7151): 220 chooses the host; a server without HOST goes on as it is. */
  private Mono<FtpClient> chooseHost(String name) {
    return command("HOST " + name).flatMap(reply -> {
      if (reply.code() == 220) {
        greeting = reply;
        return Mono.just(this);
      }
      if (reply.code() == 500 || reply.code() == 502) {
        return Mono.just(this);
      }
      return Mono.error(new FtpClientException("the server refused HOST " + name, reply));
    });
  }

  private Mono<FtpClient> startExplicitTls() {
    if (tls.isEmpty() || tls.get().implicit()) {
      return Mono.just(this);
    }
    return command("AUTH TLS").flatMap(reply -> {
      if (reply.code() != 234) {
        return Mono.error(new FtpClientException("the server refused AUTH TLS", reply));
      }
      var handler = tls.get().newHandler(control.channel().alloc(), tlsPeer);
      control.channel().pipeline().addFirst(TLS, handler);
      return ClientTls.handshake(handler, timeout).thenReturn(this);
    });
  }

  /** Whether data connections are protected by TLS (PROT P was accepted). */
  public boolean protectsData() {
    return protectData;
  }

  /**
   * Sends the SPDT data connections to {@code address} instead of the control connection's
   * server: another node of a Keyhole cluster relays them to this one (docs/cluster.md). For
   * measuring that relay and testing it; a client behind a balancer needs nothing of the kind.
   */
  public FtpClient spdtAddress(InetSocketAddress address) {
    dataChannels.spdtAddress(address);
    return this;
  }

  /** The server's 220 greeting. */
  public FtpReply greeting() {
    var reply = greeting;
    if (reply == null) {
      throw new IllegalStateException("not connected yet");
    }
    return reply;
  }

  /** The control connection's peer. */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /** The extensions the server listed in FEAT (after {@link #login}), upper case. */
  public Set<String> features() {
    return features;
  }

  /**
   * Sends one command line and returns the next reply, whatever its code. When the server has
   * closed the connection, nothing is sent and the reply is what it said before closing (a
   * {@code 421} it sent unasked, as a server that shuts down does), or the failure.
   */
  public Mono<FtpReply> command(String line) {
    return Mono.<Void>create(sink -> {
          var channel = control.channel();
          if (!channel.isActive()) {
            sink.success();
            return;
          }
          channel.writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8))
              .addListener(f -> {
                if (f.isSuccess() || !channel.isActive()) {
                  sink.success();
                } else {
                  sink.error(new FtpClientException("cannot send " + line.split(" ")[0], f.cause()));
                }
              });
        })
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
    return transfer(mode, "RETR " + path, data -> files.write(data, target, progress));
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
    return upload(path, mode, progress, () -> files.read(source));
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
    return dataChannels.prepare(mode, this::expectPositive).flatMap(prepared -> expectPreliminary(command)
        .then(prepared.connection())
        .flatMap(data -> (protectData ? dataChannels.secure(data) : Mono.<Void>empty()).thenReturn(data))
        .flatMap(data -> work.apply(data).flatMap(result -> data.close().thenReturn(result))
            .doFinally(s -> data.dispose()))
        .flatMap(result -> replies.next().timeout(timeout).flatMap(reply -> reply.code() == 226 || reply.code() == 250
            ? Mono.just(result)
            : Mono.error(new FtpClientException(command.split(" ")[0] + " failed", reply))))
        .doFinally(s -> prepared.close()));
  }

  private Mono<FtpReply> expectPreliminary(String command) {
    return command(command).flatMap(reply -> reply.isPreliminary()
        ? Mono.just(reply)
        : Mono.error(new FtpClientException(command.split(" ")[0] + " refused", reply)));
  }


}
