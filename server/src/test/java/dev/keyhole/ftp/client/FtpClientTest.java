package dev.keyhole.ftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FtpClientTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path local;

  private static FtpClient login(TestServer server) {
    var client = FtpClient.connect(server.host(), server.port()).block(WAIT);
    client.login(TestServer.USER, TestServer.PASSWORD).block(WAIT);
    return client;
  }

  @ParameterizedTest
  @EnumSource(DataChannelKind.class)
  void downloadsUploadsListsAndDeletesOverEveryDataChannel(DataChannelKind mode) throws Exception {
    try (var server = TestServer.start()) {
      var source = server.randomFile("pub/data.bin", 2_500_000);
      var client = login(server);
      try {
        var target = local.resolve("data.bin");
        assertThat(client.download("/pub/data.bin", target, mode, n -> { }).block(WAIT)).isEqualTo(2_500_000);
        assertThat(TestServer.sha256(target)).isEqualTo(TestServer.sha256(source));

        assertThat(client.upload(target, "/pub/copy.bin", mode, n -> { }).block(WAIT)).isEqualTo(2_500_000);
        assertThat(TestServer.sha256(server.root().resolve("pub/copy.bin"))).isEqualTo(TestServer.sha256(source));

        assertThat(client.list("/pub", mode).block(WAIT)).contains("data.bin").contains("copy.bin");
        client.delete("/pub/copy.bin").block(WAIT);
        assertThat(Files.exists(server.root().resolve("pub/copy.bin"))).isFalse();
      } finally {
        client.quit().block(WAIT);
      }
    }
  }

  @Test
  void choosesEpsvOnAFullServerAndSpsvOnASinglePortOne() throws Exception {
    try (var full = TestServer.start(); var single = TestServer.start(s -> s.singlePort())) {
      var a = login(full);
      var b = login(single);
      try {
        assertThat(a.features()).contains("EPSV", "SPSV", "MLST", "SIZE");
        assertThat(a.choose(Optional.empty())).isEqualTo(DataChannelKind.EPSV);
        assertThat(b.choose(Optional.empty())).isEqualTo(DataChannelKind.SPSV);
        assertThat(b.choose(Optional.of(DataChannelKind.PASV))).isEqualTo(DataChannelKind.PASV);
      } finally {
        a.quit().block(WAIT);
        b.quit().block(WAIT);
      }
    }
  }

  @Test
  void refusalsCarryTheServersReply() throws Exception {
    try (var server = TestServer.start()) {
      var client = login(server);
      try {
        assertThatThrownBy(() -> client.download("missing", local.resolve("x"), DataChannelKind.SPSV, n -> { }).block(WAIT))
            .hasCauseInstanceOf(FtpClientException.class)
            .hasMessageContaining("550");
        // the session goes on after a refused transfer
        var target = local.resolve("ok.bin");
        server.randomFile("ok.bin", 10);
        client.download("ok.bin", target, DataChannelKind.SPSV, n -> { }).block(WAIT);
        assertThat(Files.size(target)).isEqualTo(10);
      } finally {
        client.quit().block(WAIT);
      }
      var bad = FtpClient.connect(server.host(), server.port()).block(WAIT);
      assertThatThrownBy(() -> bad.login("user", "wrong").block(WAIT)).hasMessageContaining("530");
      bad.quietClose().block(WAIT);
    }
  }

  @Test
  void progressIsReported() throws Exception {
    try (var server = TestServer.start()) {
      server.randomFile("p.bin", 1_000_000);
      var client = login(server);
      try {
        var seen = new java.util.concurrent.atomic.AtomicLong();
        client.download("p.bin", local.resolve("p.bin"), DataChannelKind.SPSV, seen::set).block(WAIT);
        assertThat(seen.get()).isEqualTo(1_000_000);
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        Files.write(local.resolve("up.bin"), data);
        var sent = new java.util.concurrent.atomic.AtomicLong();
        client.upload(local.resolve("up.bin"), "up.bin", DataChannelKind.EPSV, sent::set).block(WAIT);
        assertThat(sent.get()).isEqualTo(300_000);
      } finally {
        client.quit().block(WAIT);
      }
    }
  }
}
