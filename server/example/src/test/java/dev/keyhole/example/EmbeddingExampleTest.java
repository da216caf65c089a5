package dev.keyhole.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.keyhole.ftp.client.ClientResources;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.api.FtpInterceptor.Decision;
import dev.keyhole.ftp.server.api.FtpInterceptor;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.User;
import dev.keyhole.ftp.server.fs.JailedFileSystem;
import dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder;
import dev.keyhole.ftp.transport.DataChannelKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What an application does to embed Keyhole: its users in its own authenticator, its files on a
 * file system of its choice (Jimfs here), a policy that vetoes uploads, its own meter registry and
 * logging; then binary files both ways with the reactive client, checked byte for byte.
 */
class EmbeddingExampleTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void anApplicationEmbedsTheServerAndTalksToItWithTheClient() throws Exception {
    // the application's logback, not one from the library
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith("ch.qos.logback");
    assertThat(getClass().getClassLoader().getResource("logback.xml")).as("no logging configuration in the library").isNull();

    var registry = new SimpleMeterRegistry();
    try (var files = Jimfs.newFileSystem(Configuration.unix())) {
      var home = files.getPath("/srv/demo");
      var server = FtpServer.create()
          .bindAddress("127.0.0.1", 0)
          .option(ServerOptions.IDLE_TIMEOUT, Duration.ofMinutes(2))
          .option(ServerOptions.BANNER, "Demo FTP ready.")
          .authenticator((name, password, remote) -> Mono.just(name.equals("demo") && password.equals("s3cret")
              ? Optional.of(new User("demo", home, EnumSet.allOf(Permission.class), false))
              : Optional.empty()))
          .fileSystem(user -> JailedFileSystem.open(user.home()))
          .interceptor(action -> Mono.just(action instanceof FtpInterceptor.Action.Upload upload
              && upload.path().endsWith(".exe") ? Decision.deny(553, "No executables here.") : Decision.ALLOW))
          .metrics(new MicrometerFtpMetricsRecorder(registry))
          .bindNow();
      var resources = ClientResources.create();
      try {
        var client = FtpClient.connect(new InetSocketAddress("127.0.0.1", server.port()), WAIT, Optional.empty(), resources)
            .block(WAIT);
        client.login("demo", "s3cret").block(WAIT);
        byte[] report = new byte[1_500_007];
        new Random(7).nextBytes(report);
        for (var kind : DataChannelKind.values()) {
          String name = "report-" + kind + ".bin";
          client.upload(name, kind, n -> { }, () -> reactor.core.publisher.Flux.just(
              io.netty.buffer.Unpooled.wrappedBuffer(report))).block(WAIT);
          assertThat(Files.readAllBytes(home.resolve(name))).isEqualTo(report);
          assertThat(client.fetch("RETR " + name, kind).block(WAIT)).isEqualTo(report);
        }
        assertThatThrownBy(() -> client.upload("tool.exe", DataChannelKind.EPSV, n -> { },
            () -> reactor.core.publisher.Flux.just(io.netty.buffer.Unpooled.wrappedBuffer(new byte[10]))).block(WAIT))
            .hasMessageContaining("553");
        assertThat(Files.exists(home.resolve("tool.exe"))).isFalse();
        client.quit().block(WAIT);
      } finally {
        server.disposeNow(Duration.ofSeconds(5));
        resources.dispose();
      }
      assertThat(registry.counter("keyhole.data.received").count()).isEqualTo(5.0 * 1_500_007);
      assertThat(registry.counter("keyhole.data.sent").count()).isEqualTo(5.0 * 1_500_007);
    }
  }
}
