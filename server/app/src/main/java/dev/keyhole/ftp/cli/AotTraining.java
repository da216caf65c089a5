package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.DisposableFtpServer;
import dev.keyhole.ftp.transport.DataChannelKind;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The workload the launcher trains the JDK's ahead-of-time cache on ({@code -XX:AOTCacheOutput},
 * JDK 25): {@code keyhole serve}, started with {@code -Dkeyhole.aotTraining=SESSIONS} and {@code
 * -Dkeyhole.aotTraining.login=USER:PASSWORD} on a loopback port, serves that many sessions of
 * its own over loopback (log in, PWD, SIZE, a small upload and its download over EPSV, PASV and
 * SPSV, a listing, QUIT, four at a time), and the process then exits: the classes it loaded and
 * the profiles of the methods it ran are what the cache keeps for the next start.
 */
final class AotTraining {

  private static final Logger log = LoggerFactory.getLogger(AotTraining.class);
  static final String SESSIONS = "keyhole.aotTraining";
  static final String LOGIN = "keyhole.aotTraining.login";
  private static final DataChannelKind[] KINDS = {DataChannelKind.EPSV, DataChannelKind.PASV, DataChannelKind.SPSV};
  private static final byte[] CONTENT = new byte[16 * 1024];

  private AotTraining() {}

  /** The sessions asked for with {@value #SESSIONS}, or empty: no training. */
  static Optional<Integer> requested() {
    return Optional.ofNullable(Integer.getInteger(SESSIONS)).filter(n -> n > 0);
  }

  /** Runs the sessions against {@code server}; a failed session is logged and the rest go on. */
  static void run(DisposableFtpServer server, int sessions) {
    String[] login = System.getProperty(LOGIN, "").split(":", 2);
    if (login.length != 2) {
      throw new IllegalArgumentException("-D" + LOGIN + "=USER:PASSWORD is needed with -D" + SESSIONS);
    }
    var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    long failed = Flux.range(0, sessions)
        .flatMap(i -> session(address, login[0], login[1], i)
            .thenReturn(0)
            .onErrorResume(e -> {
              log.warn("training session {} failed: {}", i, e.toString());
              return Mono.just(1);
            }), 4)
        .reduce(0L, Long::sum)
        .block(Duration.ofMinutes(10));
    log.info("ahead-of-time training: {} sessions, {} failed", sessions, failed);
  }

  private static Mono<Void> session(InetSocketAddress address, String user, String password, int i) {
    var kind = KINDS[i % KINDS.length];
    String name = "training-" + (i % 8) + ".bin";
    return Mono.usingWhen(FtpClient.connect(address, Duration.ofSeconds(10)),
        client -> {
          Mono<?> work = client.login(user, password).then(client.expectPositive("PWD"));
          if (i % 4 == 0) {
            work = work
                .then(client.upload(name, kind, n -> { }, () -> Flux.just(Unpooled.wrappedBuffer(CONTENT))))
                .then(client.size(name))
                .then(client.fetch("RETR " + name, kind))
                .then(client.list("/", kind));
          }
          return work.then(client.quit());
        },
        FtpClient::quietClose);
  }
}
