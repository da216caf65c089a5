package dev.keyhole.ftp.alg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.alg.metrics.AlgMeters;
import dev.keyhole.ftp.alg.metrics.MicrometerAlgMetricsRecorder;
import dev.keyhole.ftp.server.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ALG's two ways of relaying data, spliced in the kernel and copied through buffers: the same
 * bytes either way, up and down, also when the sender has finished and closed long before a slow
 * reader has taken its bytes (the case Netty's splice alone would cut short), and the idle timeout.
 */
class DataRelayTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private TestServer upstream;
  private DisposableAlg alg;
  private FTPClient client;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() throws IOException {
    if (client != null && client.isConnected()) {
      client.disconnect();
    }
    if (alg != null) {
      alg.disposeNow(Duration.ofSeconds(5));
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private void start(UnaryOperator<AlgConfig> config, String dataMode) throws IOException {
    upstream = TestServer.start();
    var listener = new AlgListener(new InetSocketAddress("::1", 0), new InetSocketAddress("127.0.0.1", upstream.port()),
        AlgMode.NAT64);
    alg = FtpAlg.from(config.apply(AlgConfig.of(List.of(listener))
        .withMetrics(new MicrometerAlgMetricsRecorder(registry)))).bind().block(WAIT);
    client = new FTPClient();
    client.setDefaultTimeout(20_000);
    client.setDataTimeout(Duration.ofSeconds(20));
    var address = alg.addresses().get(0);
    client.connect(address.getAddress(), address.getPort());
    assertThat(client.login(TestServer.USER, TestServer.PASSWORD)).isTrue();
    client.setFileType(FTP.BINARY_FILE_TYPE);
    if (dataMode.equals("passive")) {
      client.enterLocalPassiveMode();
    } else {
      client.enterLocalActiveMode();
    }
  }

  private double relayed(String method) {
    var counter = registry.find(AlgMeters.RELAYED.meterName()).tag("method", method).counter();
    return counter == null ? 0 : counter.count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"splice-passive", "splice-active", "copy-passive", "copy-active"})
  void aSlowReaderGetsEveryByteAfterTheServerHasClosed(String variant) throws Exception {
    boolean splice = variant.startsWith("splice");
    start(c -> c.with(AlgOptions.NO_SPLICE, !splice), variant.substring(variant.indexOf('-') + 1));
    // small enough for the server to send it all into socket buffers and close while the client waits
    var file = upstream.randomFile("slow.bin", 3_000_017);
    var digest = MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream in = client.retrieveFileStream("slow.bin")) {
      assertThat(in).as(client.getReplyString()).isNotNull();
      Thread.sleep(1500);
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        digest.update(buf, 0, n);
        total += n;
        if (total < 1_000_000) {
          Thread.sleep(1); // slowly at first
        }
      }
    }
    assertThat(client.completePendingCommand()).as(client.getReplyString()).isTrue();
    assertThat(total).isEqualTo(3_000_017);
    assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(TestServer.sha256(file));
    awaitRelayed(splice ? "splice" : "copy", 3_000_017);
    assertThat(relayed(splice ? "copy" : "splice")).isZero();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void uploadsArriveWhole(boolean splice) throws Exception {
    start(c -> c.with(AlgOptions.NO_SPLICE, !splice), "passive");
    // large enough that the client closes while the relay still has buffers on their way (an
    // upload copied through buffers lost its tail one time in three at 300 MB, curl as the client)
    byte[] up = new byte[40_000_011];
    new Random(11).nextBytes(up);
    for (int i = 0; i < 4; i++) {
      assertThat(client.storeFile("up" + i + ".bin", new ByteArrayInputStream(up))).as(client.getReplyString()).isTrue();
      byte[] got = java.nio.file.Files.readAllBytes(upstream.root().resolve("up" + i + ".bin"));
      int first = java.util.Arrays.mismatch(got, up);
      assertThat(first).as("size %d, first difference at %d", got.length, first).isEqualTo(-1);
    }
    awaitRelayed(splice ? "splice" : "copy", 4 * 40_000_011);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void shortListingsSentAndClosedAtOnceArriveWhole(boolean splice) throws Exception {
    // the server sends a listing and closes before the relay has even started: a relay that ends
    // when the client's direction (nothing to send, into a closed connection) fails loses it
    start(c -> c.with(AlgOptions.NO_SPLICE, !splice), "passive");
    for (String name : List.of("a.txt", "b.txt", "c.txt")) {
      upstream.randomFile(name, 10);
    }
    for (int i = 0; i < 40; i++) {
      assertThat(client.listNames()).as("listing %d", i).containsExactlyInAnyOrder("a.txt", "b.txt", "c.txt");
    }
  }

  @Test
  void aSplicedRelayThatMovesNothingEndsAtTheIdleTimeout() throws Exception {
    start(c -> c.with(AlgOptions.IDLE_TIMEOUT, Duration.ofSeconds(1)), "passive");
    upstream.randomFile("big.bin", 64_000_000);
    long total = 0;
    try (InputStream in = client.retrieveFileStream("big.bin")) {
      assertThat(in).isNotNull();
      Thread.sleep(3000); // the buffers fill, nothing moves, the relay gives up
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    } catch (IOException e) {
      // a reset is as good an end as a close
    }
    assertThat(total).isLessThan(64_000_000);
    // the relay ended, and was a spliced one
    for (int i = 0; i < 100 && relayed("splice") == 0; i++) {
      Thread.sleep(20);
    }
    assertThat(relayed("splice")).isPositive().isLessThan(64_000_000);
  }

  private void awaitRelayed(String method, double bytes) throws InterruptedException {
    for (int i = 0; i < 100 && relayed(method) < bytes; i++) {
      Thread.sleep(20);
    }
    assertThat(relayed(method)).isEqualTo(bytes);
  }
}
