package dev.keyhole.ftp.load;

import dev.keyhole.ftp.client.ClientTls;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.client.FtpClientException;
import dev.keyhole.ftp.client.FtpUrl;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The load scenarios. Each prepares what it needs on the server (not timed), then runs its
 * clients concurrently on the reactive client, with every byte checked: downloads against the
 * SHA-256 of what was uploaded, uploads downloaded again afterwards.
 */
enum Scenario {
  /** Every client downloads the large file. */
  RETR_LARGE("retr-large"),
  /** Every client uploads a large file; each upload is verified afterwards. */
  STOR_LARGE("stor-large"),
  /** Every client downloads small files one after another over one session. */
  SMALL_FILES("small-files"),
  /** Every client connects, logs in, sends PWD and quits, again and again. */
  SESSIONS("sessions"),
  /** Every client logs in and stays idle until the end; the server's memory is what counts. */
  IDLE("idle"),
  /**
   * Over one session, in every ten operations: seven small downloads, two small uploads (verified
   * afterwards) and one directory listing.
   */
  MIXED("mixed");

  final String label;

  Scenario(String label) {
    this.label = label;
  }

  static Scenario parse(String name) {
    for (Scenario s : values()) {
      if (s.label.equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + name + "' (retr-large, stor-large, small-files, sessions, idle, mixed)");
  }

  /** Uploads what the scenario reads. Not timed. */
  Mono<Void> prepare(FtpUrl target, Settings settings) {
    return switch (this) {
      case RETR_LARGE -> session(target, settings, client -> upload(client, settings, "load-large.bin", large(settings)));
      case SMALL_FILES, MIXED -> session(target, settings, client -> Flux.range(0, settings.files())
          .concatMap(i -> upload(client, settings, small(i), smallPayload(settings, i)))
          .then());
      case STOR_LARGE, SESSIONS, IDLE -> Mono.empty();
    };
  }

  /** Runs the timed part; records into {@code stats}. */
  Mono<Void> run(FtpUrl target, Settings settings, Stats stats) {
    long deadline = settings.duration().map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
    int count = settings.count() > 0 ? settings.count() : Integer.MAX_VALUE;
    var uploaded = new ConcurrentHashMap<String, Payload>();
    Mono<Void> clients = Flux.range(0, settings.clients())
        .flatMap(id -> startOf(settings, id).then(Mono.defer(() -> worker(target, settings, stats, id, count, deadline,
            uploaded))), settings.clients())
        .then();
    return this == STOR_LARGE || this == MIXED ? clients.then(verifyUploads(target, settings, stats, uploaded)) : clients;
  }

  /** When client {@code id} starts: at once, or {@code id / ramp} seconds in. */
  static Mono<Long> startOf(Settings settings, int id) {
    return settings.ramp() == 0 || id == 0 ? Mono.empty()
        : Mono.delay(Duration.ofNanos(id * 1_000_000_000L / settings.ramp()));
  }

  /**
   * An idle session's NOOPs, one every {@code keepalive} (from a random start within the first
   * period, so that thousands of sessions do not send theirs at once) until the deadline; a reply
   * other than 200 is a lost session.
   */
  private static Mono<Void> keepAlive(FtpClient client, Settings settings, long deadline) {
    if (settings.keepalive().isEmpty()) {
      return Mono.empty();
    }
    long period = settings.keepalive().get().toNanos();
    long first = java.util.concurrent.ThreadLocalRandom.current().nextLong(period);
    return Flux.interval(Duration.ofNanos(first), Duration.ofNanos(period))
        .takeWhile(t -> System.nanoTime() + 1_000_000_000L < deadline)
        .concatMap(t -> client.command("NOOP").flatMap(noop -> noop.code() == 200 ? Mono.<Void>empty()
            : Mono.error(new FtpClientException("idle session lost", noop))))
        .then();
  }

  private Mono<Void> worker(FtpUrl target, Settings settings, Stats stats, int id, int count, long deadline,
      Map<String, Payload> uploaded) {
    var done = new AtomicInteger();
    if (this == IDLE) {
      long start = System.nanoTime();
      return connect(target, settings)
          .doOnNext(client -> stats.operation(System.nanoTime() - start, 0))
          .flatMap(client -> keepAlive(client, settings, deadline)
              .then(Mono.defer(() -> Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))))
              .then(client.command("NOOP"))
              .flatMap(noop -> noop.code() == 200 ? client.quit() : Mono.error(new FtpClientException("idle session lost", noop))))
          .onErrorResume(e -> record(stats, e));
    }
    if (this == SESSIONS) {
      return Mono.defer(() -> {
        long start = System.nanoTime();
        return connect(target, settings)
            .flatMap(client -> client.expectPositive("PWD").then(client.quit()))
            .doOnSuccess(v -> stats.operation(System.nanoTime() - start, 0))
            .onErrorResume(e -> record(stats, e));
      }).repeat(() -> done.incrementAndGet() < count && System.nanoTime() < deadline).then();
    }
    // one session per client, opened again after a failure
    var holder = new FtpClient[1];
    return Mono.defer(() -> (holder[0] != null ? Mono.just(holder[0]) : connect(target, settings).doOnNext(c -> holder[0] = c))
            .flatMap(client -> operation(client, settings, stats, id, done.get(), uploaded))
            .onErrorResume(e -> {
              if (holder[0] != null) {
                holder[0].quietClose().subscribe();
                holder[0] = null;
              }
              return record(stats, e);
            }))
        .repeat(() -> done.incrementAndGet() < count && System.nanoTime() < deadline)
        .then(Mono.defer(() -> holder[0] == null ? Mono.<Void>empty() : holder[0].quit()));
  }

  private Mono<Void> operation(FtpClient client, Settings settings, Stats stats, int id, int n,
      Map<String, Payload> uploaded) {
    long start = System.nanoTime();
    var mode = client.choose(settings.dataChannel());
    return switch (this) {
      case RETR_LARGE -> download(client, mode, "load-large.bin", large(settings).sha256Cached(), stats, start);
      case SMALL_FILES -> {
        int i = (id * 7919 + n) % settings.files();
        yield download(client, mode, small(i), smallPayload(settings, i).sha256Cached(), stats, start);
      }
      case STOR_LARGE -> upload(client, mode, "load-stor-" + id + "-" + n + ".bin", large(settings), stats, start, uploaded);
      case MIXED -> {
        int step = (id + n) % 10;
        int i = (id * 7919 + n) % settings.files();
        if (step < 7) {
          yield download(client, mode, small(i), smallPayload(settings, i).sha256Cached(), stats, start);
        } else if (step < 9) {
          yield upload(client, mode, "load-mixed-" + id + "-" + n + ".bin", smallPayload(settings, i), stats, start, uploaded);
        } else {
          yield client.fetch("LIST", mode).doOnNext(listing -> stats.operation(System.nanoTime() - start, listing.length)).then();
        }
      }
      case SESSIONS, IDLE -> Mono.error(new IllegalStateException(label + " has no per-session operation"));
    };
  }

  private static Mono<Void> upload(FtpClient client, DataChannelKind mode, String name, Payload payload, Stats stats,
      long start, Map<String, Payload> uploaded) {
    return client.upload(name, mode, b -> { }, payload::chunks)
        .doOnNext(bytes -> {
          stats.operation(System.nanoTime() - start, bytes);
          uploaded.put(name, payload);
        })
        .then();
  }

  private static Mono<Void> download(FtpClient client, DataChannelKind mode, String name,
      String expected, Stats stats, long start) {
    var digest = Payload.digest();
    return client.retrieve(name, mode, buf -> Payload.update(digest, buf)).flatMap(bytes -> {
      if (!HexFormat.of().formatHex(digest.digest()).equals(expected)) {
        stats.error("checksum-mismatch");
        return Mono.empty();
      }
      stats.operation(System.nanoTime() - start, bytes);
      return Mono.<Void>empty();
    });
  }

  private static Mono<Void> verifyUploads(FtpUrl target, Settings settings, Stats stats, Map<String, Payload> uploaded) {
    return session(target, settings, client -> Flux.fromIterable(List.copyOf(uploaded.keySet())).concatMap(name -> {
      String expected = uploaded.get(name).sha256Cached();
      var digest = Payload.digest();
      return client.retrieve(name, client.choose(settings.dataChannel()), buf -> Payload.update(digest, buf))
          .doOnNext(bytes -> {
            if (!HexFormat.of().formatHex(digest.digest()).equals(expected)) {
              stats.error("upload-verify-mismatch");
            }
          })
          .then(client.delete(name))
          .onErrorResume(e -> record(stats, e));
    }).then());
  }

  private static Mono<Void> upload(FtpClient client, Settings settings, String name, Payload payload) {
    return client.upload(name, client.choose(settings.dataChannel()), b -> { }, payload::chunks).then();
  }

  /** Which of the source addresses the next connection leaves from: each in turn. */
  private static final java.util.concurrent.atomic.AtomicInteger NEXT_SOURCE = new java.util.concurrent.atomic.AtomicInteger();

  private static Mono<FtpClient> connect(FtpUrl target, Settings settings) {
    // FTPS targets: encryption is what is measured, so any certificate is accepted
    Optional<ClientTls> tls = target.security() == FtpUrl.Security.NONE ? Optional.empty()
        : Optional.of(ClientTls.insecure(target.security() == FtpUrl.Security.IMPLICIT));
    var sources = settings.sources();
    var source = sources.isEmpty() ? null : sources.get(Math.floorMod(NEXT_SOURCE.getAndIncrement(), sources.size()));
    return FtpClient.connect(new InetSocketAddress(target.host(), target.port()), source, settings.timeout(), tls)
        .map(client -> target.spdtAddress().map(client::spdtAddress).orElse(client))
        .flatMap(client -> client.login(target.user(), target.password()).thenReturn(client)
            .onErrorResume(e -> client.quietClose().then(Mono.error(e))));
  }

  private static Mono<Void> session(FtpUrl target, Settings settings, Function<FtpClient, Mono<Void>> work) {
    return connect(target, settings).flatMap(client -> work.apply(client).then(client.quit())
        .onErrorResume(e -> client.quietClose().then(Mono.error(e))));
  }

  private static Mono<Void> record(Stats stats, Throwable e) {
    stats.error(e instanceof FtpClientException f
        ? f.reply().map(r -> "reply-" + r.code()).orElse("connection")
        : e.getClass().getSimpleName());
    return Mono.empty();
  }

  static Payload large(Settings settings) {
    return new Payload(settings.size(), 1);
  }

  static Payload smallPayload(Settings settings, int i) {
    return new Payload(settings.size(), 1000 + i);
  }

  static String small(int i) {
    return "load-small-" + i + ".bin";
  }
}
