package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.metrics.FtpMeters;
import dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The library API: events, meters and graceful shutdown. */
class EmbeddingTest {

  @Test
  void eventsTellSessionsLoginsAndTransfers() throws Exception {
    try (var server = TestServer.start()) {
      List<FtpEvent> events = new CopyOnWriteArrayList<>();
      var subscription = server.server().events().subscribe(events::add);
      server.randomFile("e.bin", 5000);
      var client = ClientMode.PASV.connect(server);
      client.retrieveFile("e.bin", new ByteArrayOutputStream());
      ClientMode.quit(client);
      SessionTest.waitUntil(() -> events.stream().anyMatch(e -> e instanceof FtpEvent.SessionClosed));
      subscription.dispose();
      assertThat(events).first().isInstanceOf(FtpEvent.SessionOpened.class);
      assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new FtpEvent.LoggedIn(e.sessionId(), "user")));
      assertThat(events).filteredOn(FtpEvent.TransferCompleted.class::isInstance)
          .singleElement()
          .satisfies(e -> {
            var t = (FtpEvent.TransferCompleted) e;
            assertThat(t.direction()).isEqualTo(FtpEvent.Direction.DOWNLOAD);
            assertThat(t.bytes()).isEqualTo(5000);
            assertThat(t.success()).isTrue();
          });
    }
  }

  @Test
  void metersCountSessionsCommandsAndBytes() throws Exception {
    var registry = new SimpleMeterRegistry();
    try (var server = TestServer.start(s -> s.metrics(new MicrometerFtpMetricsRecorder(registry)))) {
      server.randomFile("m.bin", 7000);
      var client = ClientMode.EPSV.connect(server);
      client.retrieveFile("m.bin", new ByteArrayOutputStream());
      client.sendCommand("BOGUS");
      client.sendCommand("SPSV");
      ClientMode.quit(client);
      SessionTest.waitUntil(() -> registry.get(FtpMeters.SESSIONS_ACTIVE.meterName()).gauge().value() == 0);
      assertThat(registry.get(FtpMeters.SESSIONS_OPENED.meterName()).counter().count()).isEqualTo(1);
      assertThat(registry.get(FtpMeters.COMMANDS.meterName()).tags("verb", "RETR", "reply", "2xx").timer().count()).isEqualTo(1);
      assertThat(registry.get(FtpMeters.COMMANDS.meterName()).tags("verb", "OTHER", "reply", "5xx").timer().count()).isEqualTo(1);
      assertThat(registry.get(FtpMeters.COMMANDS.meterName()).tags("verb", "SPSV", "reply", "2xx").timer().count()).isEqualTo(1);
      assertThat(registry.get(FtpMeters.BYTES_SENT.meterName()).counter().count()).isEqualTo(7000);
      assertThat(registry.get(FtpMeters.TRANSFERS.meterName()).tags("direction", "download", "outcome", "success")
          .timer().count()).isEqualTo(1);
    }
  }

  @Test
  void shutdownLetsARunningTransferFinishThenCloses() throws Exception {
    var server = TestServer.start(s -> s.option(ServerOptions.SHUTDOWN_GRACE, Duration.ofSeconds(20)));
    var file = server.randomFile("slow.bin", 8 * 1024 * 1024);
    var executor = Executors.newSingleThreadExecutor();
    try (var c = RawControl.login(server)) {
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      try (var data = new Socket(server.host(), port)) {
        data.setReceiveBufferSize(32 * 1024);
        c.send("RETR slow.bin").expect(150);
        var in = data.getInputStream();
        byte[] head = in.readNBytes(1024 * 1024);
        var shutdown = executor.submit(() -> server.server().disposeNow(Duration.ofSeconds(20)));
        Thread.sleep(200);
        assertThat(shutdown.isDone()).as("shutdown waits for the transfer").isFalse();
        byte[] rest = in.readAllBytes();
        var all = new ByteArrayOutputStream();
        all.write(head);
        all.write(rest);
        assertThat(TestServer.sha256(all.toByteArray())).isEqualTo(TestServer.sha256(file));
        c.expect(226);
        c.expect(421);
        shutdown.get(10, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
      server.close();
    }
  }
}
