package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** ABOR in the middle of transfers: 426 for the transfer, then 226 for ABOR (RFC 959 4.1.3). */
class AbortTest {

  @Test
  void aborDuringDownloadAnswers426Then226() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("big.bin", 64 * 1024 * 1024);
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      try (var data = new Socket(server.host(), port)) {
        data.setReceiveBufferSize(16 * 1024);
        c.send("RETR big.bin").expect(150);
        InputStream in = data.getInputStream();
        in.readNBytes(64 * 1024);
        c.send("ABOR");
        assertThat(c.expect(426).code()).isEqualTo(426);
        assertThat(c.expect(226).text()).contains("ABOR");
      }
      c.send("NOOP").expect(200);
    }
  }

  @Test
  void aborDuringUploadLeavesNoFileUnderTheFinalName() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      try (var data = new Socket(server.host(), port)) {
        c.send("STOR upload.bin").expect(150);
        OutputStream out = data.getOutputStream();
        out.write(new byte[256 * 1024]);
        out.flush();
        c.send("ABOR");
        c.expect(426);
        c.expect(226);
      }
      c.send("NOOP").expect(200);
      assertThat(Files.exists(server.root().resolve("upload.bin"))).isFalse();
      try (var files = Files.list(server.root())) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void aborWhileWaitingForTheDataConnectionAnswers426Then226() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("f.bin", 100);
      c.send("EPSV").expect(229);
      c.send("RETR f.bin");
      c.send("ABOR");
      c.expect(426);
      c.expect(226);
    }
  }

  @Test
  void aborWithNothingRunningAnswers225() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.send("ABOR").expect(225);
    }
  }

  @Test
  void clientClosingTheDataConnectionEarlyGets426() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("big.bin", 32 * 1024 * 1024);
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      var data = new Socket(server.host(), port);
      c.send("RETR big.bin").expect(150);
      data.getInputStream().readNBytes(1024);
      data.setSoLinger(true, 0);
      data.close();
      c.expect(426);
      c.send("NOOP").expect(200);
    }
  }

  @Test
  void interruptedUploadKeepsThePartialFileWhenConfigured() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.KEEP_PARTIAL_UPLOADS, true)); var c = RawControl.login(server)) {
      c.send("TYPE I").expect(200);
      int port = AddressFormats.parseEpsvReply(c.send("EPSV").expect(229).text()).orElseThrow();
      try (var data = new Socket(server.host(), port)) {
        c.send("STOR keep.bin").expect(150);
        data.getOutputStream().write(new byte[100_000]);
        data.getOutputStream().flush();
        Thread.sleep(200);
        c.send("ABOR");
        c.expect(426);
        c.expect(226);
      }
      assertThat(Files.size(server.root().resolve("keep.bin"))).isEqualTo(100_000);
    }
  }
}
