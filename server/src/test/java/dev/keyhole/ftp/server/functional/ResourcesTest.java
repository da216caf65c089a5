package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.client.ClientResources;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * An application that brings its own event loops and blocking scheduler: the server and the
 * client run on them, and disposing the server or the client's own resources leaves the
 * application's alone.
 */
class ResourcesTest {

  @Test
  void serverAndClientRunOnTheApplicationsResourcesAndLeaveThemRunning() throws Exception {
    var loops = LoopResources.create("app", 1, 2, true);
    var blocking = Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor(), "app-vt");
    try (var server = TestServer.start(s -> s.runOn(loops).blockingScheduler(blocking))) {
      server.randomFile("f.bin", 200_000);
      var resources = ClientResources.of(loops, blocking);
      var client = FtpClient.connect(new InetSocketAddress(server.host(), server.port()), Duration.ofSeconds(10),
          Optional.empty(), resources).block(Duration.ofSeconds(10));
      client.login(TestServer.USER, TestServer.PASSWORD).block(Duration.ofSeconds(10));
      for (var kind : DataChannelKind.values()) {
        assertThat(client.fetch("RETR f.bin", kind).block(Duration.ofSeconds(10))).hasSize(200_000);
      }
      client.quit().block(Duration.ofSeconds(10));
    }
    // the server stopped; the application's loops and scheduler still work
    assertThat(loops.isDisposed()).isFalse();
    assertThat(blocking.isDisposed()).isFalse();
    assertThat(reactor.core.publisher.Mono.fromCallable(() -> 42).subscribeOn(blocking).block(Duration.ofSeconds(5))).isEqualTo(42);
    try (var again = TestServer.start(s -> s.runOn(loops).blockingScheduler(blocking))) {
      var client = FtpClient.connect(new InetSocketAddress(again.host(), again.port()), Duration.ofSeconds(10),
          Optional.empty(), ClientResources.of(loops, blocking)).block(Duration.ofSeconds(10));
      client.login(TestServer.USER, TestServer.PASSWORD).block(Duration.ofSeconds(10));
      client.quit().block(Duration.ofSeconds(10));
    }
    loops.disposeLater().block(Duration.ofSeconds(10));
    blocking.dispose();
  }

  @Test
  void aClientsOwnResourcesAreDisposable() throws Exception {
    try (var server = TestServer.start()) {
      var resources = ClientResources.create();
      var client = FtpClient.connect(new InetSocketAddress(server.host(), server.port()), Duration.ofSeconds(10),
          Optional.empty(), resources).block(Duration.ofSeconds(10));
      client.login(TestServer.USER, TestServer.PASSWORD).block(Duration.ofSeconds(10));
      client.quit().block(Duration.ofSeconds(10));
      resources.dispose();
      assertThat(resources.isDisposed()).isTrue();
      ClientResources.shared().dispose(); // never disposes the shared ones
      assertThat(ClientResources.shared().isDisposed()).isFalse();
    }
  }
}
