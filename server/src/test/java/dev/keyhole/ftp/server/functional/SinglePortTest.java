package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.SpdtClient;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SPSV and SPDT on the control port (draft-rosenau-ftp-single-port-05), on raw sockets. */
class SinglePortTest {

  @Test
  void theDraftsExampleScenarioByteForByte() throws Exception {
    try (var server = TestServer.start(); var control = RawControl.connect(server)) {
      Files.writeString(server.root().resolve("example.file"), "contents of example.file");
      assertThat(control.line()).isEqualTo("220 Keyhole FTP server ready.");
      control.send("USER user");
      assertThat(control.line()).isEqualTo("331 Please specify the password.");
      control.send("PASS secret");
      assertThat(control.line()).isEqualTo("230 Login successful.");
      control.send("SPSV");
      String spsv = control.line();
      assertThat(spsv).matches("227 Entering Single Port Passive Mode \\([!-~&&[^():]]{1,32}\\)");
      String identifier = spsv.substring(spsv.indexOf('(') + 1, spsv.indexOf(')'));

      try (var data = new Socket(server.host(), server.port())) {
        data.setSoTimeout(10_000);
        var in = data.getInputStream();
        assertThat(SpdtClient.readLine(in)).isEqualTo("220 Keyhole FTP server ready.");
        data.getOutputStream().write(("SPDT " + identifier + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(in.readNBytes(10)).isEqualTo("200 DATA\r\n".getBytes(StandardCharsets.US_ASCII));
        control.send("RETR example.file");
        assertThat(control.line()).startsWith("150 ");
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("contents of example.file");
        assertThat(control.line()).isEqualTo("226 Transfer complete.");
      }
    }
  }

  @Test
  void uploadsListingsRestAndAsciiOverSpdt() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      byte[] payload = new byte[3_000_000];
      new Random(1).nextBytes(payload);
      c.send("TYPE I").expect(200);
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("STOR up.bin").expect(150);
        data.getOutputStream().write(payload);
        data.shutdownOutput();
        c.expect(226);
      }
      assertThat(TestServer.sha256(server.root().resolve("up.bin"))).isEqualTo(TestServer.sha256(payload));

      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("APPE up.bin").expect(150);
        data.getOutputStream().write(new byte[] {1, 2, 3});
        data.shutdownOutput();
        c.expect(226);
      }
      assertThat(Files.size(server.root().resolve("up.bin"))).isEqualTo(3_000_003);

      c.send("REST 2999990").expect(350);
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("RETR up.bin").expect(150);
        byte[] tail = data.getInputStream().readAllBytes();
        assertThat(tail).hasSize(13);
        assertThat(Arrays.copyOfRange(tail, 10, 13)).isEqualTo(new byte[] {1, 2, 3});
        c.expect(226);
      }

      for (String listing : new String[] {"LIST", "NLST", "MLSD"}) {
        try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
          c.send(listing).expect(150);
          assertThat(new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("up.bin");
          c.expect(226);
        }
      }

      Files.writeString(server.root().resolve("unix.txt"), "a\nb\n");
      c.send("TYPE A").expect(200);
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("RETR unix.txt").expect(150);
        assertThat(new String(data.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("a\r\nb\r\n");
        c.expect(226);
      }
    }
  }

  @Test
  void transferCommandMayComeBeforeTheSpdtConnection() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      var file = server.randomFile("f.bin", 200_000);
      c.send("TYPE I").expect(200);
      String id = SpdtClient.identifier(c);
      c.send("RETR f.bin");
      Thread.sleep(100);
      try (var data = SpdtClient.open(server, id)) {
        c.expect(150);
        assertThat(TestServer.sha256(data.getInputStream().readAllBytes())).isEqualTo(TestServer.sha256(file));
        c.expect(226);
      }
    }
  }

  @Test
  void dataSentRightAfterSpdtIsNotTakenForCommands() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.send("TYPE I").expect(200);
      String id = SpdtClient.identifier(c);
      c.send("STOR eager.bin");
      byte[] payload = "NOOP\r\nDELE x\r\nthis is data, not commands\r\n".getBytes(StandardCharsets.US_ASCII);
      try (var data = new Socket(server.host(), server.port())) {
        SpdtClient.readLine(data.getInputStream());
        var out = new ByteArrayOutputStream();
        out.write(("SPDT " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        data.getOutputStream().write(out.toByteArray());
        assertThat(SpdtClient.readLine(data.getInputStream())).isEqualTo("200 DATA");
        data.shutdownOutput();
        c.expect(150);
        c.expect(226);
      }
      assertThat(Files.readAllBytes(server.root().resolve("eager.bin"))).isEqualTo(payload);
    }
  }

  @Test
  void aborOverSpdtAnswers426Then226() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("big.bin", 64 * 1024 * 1024);
      c.send("TYPE I").expect(200);
      try (var data = SpdtClient.open(server, SpdtClient.identifier(c))) {
        c.send("RETR big.bin").expect(150);
        data.getInputStream().readNBytes(64 * 1024);
        c.send("ABOR");
        c.expect(426);
        c.expect(226);
      }
      c.send("NOOP").expect(200);
    }
  }

  @Test
  void unknownUsedAndExpiredIdentifiersGet504AndAreClosed() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.SPSV_TIMEOUT, Duration.ofMillis(300))); var c = RawControl.login(server)) {
      assertRefused(server, "nosuchidentifier");

      String id = SpdtClient.identifier(c);
      try (var used = SpdtClient.open(server, id)) {
        assertRefused(server, id);
      }

      String expiring = SpdtClient.identifier(c);
      Thread.sleep(600);
      assertRefused(server, expiring);

      String replaced = SpdtClient.identifier(c);
      String current = SpdtClient.identifier(c);
      assertRefused(server, replaced);
      SpdtClient.open(server, current).close();
    }
  }

  private static void assertRefused(TestServer server, String identifier) throws Exception {
    try (var data = new RawControl(server.host(), server.port())) {
      data.expect(220);
      data.send("SPDT " + identifier).expect(504);
      assertThat(data.closedByServer()).isTrue();
    }
  }

  @Test
  void spdtIsAcceptedAfterUserAndAfterUserAndPass() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      server.randomFile("f.bin", 1000);
      c.send("TYPE I").expect(200);
      for (boolean withPass : new boolean[] {false, true}) {
        String id = SpdtClient.identifier(c);
        try (var data = new Socket(server.host(), server.port())) {
          data.setSoTimeout(10_000);
          var in = data.getInputStream();
          var out = data.getOutputStream();
          assertThat(SpdtClient.readLine(in)).startsWith("220");
          out.write("USER proxyuser\r\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(SpdtClient.readLine(in)).startsWith("331");
          if (withPass) {
            out.write("PASS proxypass\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(SpdtClient.readLine(in)).startsWith("530");
          }
          out.write(("SPDT " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
          assertThat(SpdtClient.readLine(in)).isEqualTo("200 DATA");
          c.send("RETR f.bin").expect(150);
          assertThat(in.readAllBytes()).hasSize(1000);
          c.expect(226);
        }
      }
    }
  }

  @Test
  void spdtOnAnEstablishedSessionIs503AndTheSessionGoesOn() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.send("PWD").expect(257);
      c.sendBytes("SPDT whatever\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
      c.expect(503);
      c.expect(200);
    }
  }

  @Test
  void whenFullPendingIdentifiersStillGetTheirDataConnection() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.MAX_SESSIONS, 1)); var c = RawControl.login(server)) {
      server.randomFile("f.bin", 4096);
      c.send("TYPE I").expect(200);
      // no identifier pending: the usual refusal
      try (var refused = new RawControl(server.host(), server.port())) {
        refused.expect(421);
      }
      String id = SpdtClient.identifier(c);
      try (var user = new RawControl(server.host(), server.port())) {
        assertThat(user.expect(220).text()).isEqualTo("Too many users; only SPSV connections allowed");
        user.send("USER someone");
        assertThat(user.expect(421).text()).isEqualTo("Too many users connected. Try later.");
        assertThat(user.closedByServer()).isTrue();
      }
      try (var data = new Socket(server.host(), server.port())) {
        data.setSoTimeout(10_000);
        assertThat(SpdtClient.readLine(data.getInputStream())).isEqualTo("220 Too many users; only SPSV connections allowed");
        data.getOutputStream().write(("SPDT " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(SpdtClient.readLine(data.getInputStream())).isEqualTo("200 DATA");
        c.send("RETR f.bin").expect(150);
        assertThat(data.getInputStream().readAllBytes()).hasSize(4096);
        c.expect(226);
      }
      assertThat(server.server().openSessions()).isEqualTo(1);
    }
  }

  @Test
  void dataBindingsDoNotCountAsSessions() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.MAX_SESSIONS, 2)); var c = RawControl.login(server)) {
      server.randomFile("f.bin", 10);
      String id = SpdtClient.identifier(c);
      try (var data = SpdtClient.open(server, id)) {
        SessionTest.waitUntil(() -> server.server().openSessions() == 1);
        try (var second = RawControl.login(server)) {
          second.send("NOOP").expect(200);
        }
      }
    }
  }

  @Test
  void featAndHelpAdvertiseTheExtension() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.connect(server)) {
      c.expect(220);
      assertThat(c.send("FEAT").expect(211).lines()).contains(" SPSV", " EPSV");
      String help = String.join(" ", c.send("HELP").expect(214).lines());
      assertThat(help).contains("SPSV").contains("SPDT");
    }
  }

  @Test
  void singlePortModeOffersOnlySpsv() throws Exception {
    try (var server = TestServer.start(s -> s.singlePort()); var c = RawControl.login(server)) {
      var feat = c.send("FEAT").expect(211).lines();
      assertThat(feat).contains(" SPSV").doesNotContain(" EPSV", " EPRT");
      c.send("PASV").expect(502);
      c.send("EPSV").expect(502);
      c.send("PORT 127,0,0,1,200,10").expect(502);
      c.send("EPRT |1|127.0.0.1|5000|").expect(502);
      SpdtClient.open(server, SpdtClient.identifier(c)).close();
    }
  }

  @Test
  void repeatedBadIdentifiersFromOneAddressAreRefusedEvenWhenRight() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      String id = SpdtClient.identifier(c);
      for (int i = 0; i < dev.keyhole.ftp.transport.SpdtRegistry.MAX_FAILURES; i++) {
        assertRefused(server, "guess-" + i);
      }
      assertRefused(server, id);
    }
  }
}
