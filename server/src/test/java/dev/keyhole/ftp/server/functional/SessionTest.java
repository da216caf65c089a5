package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Login, the command table's checks, bad input and limits, on raw control connections. */
class SessionTest {

  @Test
  void loginSequenceAndNotLoggedInReplies() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.connect(server)) {
      assertThat(c.expect(220).text()).isEqualTo("Keyhole FTP server ready.");
      c.send("PWD").expect(530);
      c.send("PASS x").expect(503);
      c.send("SYST").expect(215);
      c.send("FEAT").expect(211);
      c.send("USER user").expect(331);
      c.send("PASS wrong").expect(530);
      c.send("USER user").expect(331);
      c.send("PASS secret").expect(230);
      c.send("USER other").expect(530);
      c.send("QUIT").expect(221);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void threeWrongPasswordsCloseTheConnection() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.connect(server)) {
      c.expect(220);
      for (int i = 0; i < 2; i++) {
        c.send("USER user").expect(331);
        c.send("PASS wrong").expect(530);
      }
      c.send("USER user").expect(331);
      c.send("PASS wrong").expect(421);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void wrongPasswordIsAnsweredAfterTheDelay() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.FAILED_LOGIN_DELAY, Duration.ofMillis(400)));
        var c = RawControl.connect(server)) {
      c.expect(220);
      c.send("USER user").expect(331);
      long start = System.nanoTime();
      c.send("PASS wrong").expect(530);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(380));
    }
  }

  @Test
  void unknownBadAndOutOfSequenceCommandsGetTheirCodes() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.send("XYZZY").expect(502);
      c.send("").expect(500);
      c.send("CWD").expect(501);
      c.send("PWD extra").expect(501);
      c.send("TYPE Q").expect(501);
      c.send("TYPE E").expect(504);
      c.send("MODE B").expect(504);
      c.send("STRU R").expect(504);
      c.send("STRU F").expect(200);
      c.send("REST -5").expect(501);
      c.send("RNTO x").expect(503);
      c.send("PORT 1,2,3").expect(501);
      c.send("EPRT |9|1.2.3.4|2000|").expect(522);
      c.send("EPSV 2").expect(522);
      c.send("ALLO 100").expect(202);
      c.send("ACCT x").expect(202);
      c.send("SITE FOO").expect(502);
      c.send("OPTS BOGUS").expect(501);
      c.send("HELP RETR").expect(214);
      c.send("NOOP").expect(200);
    }
  }

  @Test
  void anAddressThatGuessesPasswordsIsBannedAndLetInAgainAfterTheBan() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.BAN_AFTER, 3)
        .option(ServerOptions.BAN_FOR, Duration.ofSeconds(1)).option(ServerOptions.FAILED_LOGIN_DELAY, Duration.ZERO))) {
      try (var c = RawControl.connect(server)) {
        c.expect(220);
        for (int i = 0; i < 2; i++) {
          c.send("USER user").expect(331);
          c.send("PASS wrong").expect(530);
        }
      }
      try (var c = RawControl.connect(server)) {
        c.expect(220);
        c.send("USER user").expect(331);
        c.send("PASS wrong").expect(530);
      }
      try (var banned = RawControl.connect(server)) {
        banned.expect(421);
      }
      Thread.sleep(1_100);
      try (var c = RawControl.connect(server)) {
        c.expect(220);
        c.send("USER user").expect(331);
        c.send("PASS secret").expect(230);
      }
    }
  }

  @Test
  void overlongLineIsRefusedAndTheSessionGoesOn() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.MAX_LINE_LENGTH, 512)); var c = RawControl.login(server)) {
      c.send("CWD " + "a".repeat(5000)).expect(500);
      c.send("NOOP").expect(200);
    }
  }

  @Test
  void telnetNegotiationIsIgnored() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.sendBytes(new byte[] {(byte) 0xFF, (byte) 0xFD, 0x01, 'N', 'O', 'O', 'P', '\r', '\n'});
      c.expect(200);
    }
  }

  @Test
  void featListsTheExtensions() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.connect(server)) {
      c.expect(220);
      FtpReply feat = c.send("FEAT").expect(211);
      assertThat(feat.lines()).contains(" EPSV", " EPRT", " MDTM", " MFMT", " SIZE", " REST STREAM", " UTF8", " TVFS",
          " MLST type*;size*;modify*;perm*;unique*;");
      c.send("USER user").expect(331);
      c.send("PASS secret").expect(230);
      assertThat(c.send("OPTS MLST size;type;bogus;").expect(200).text()).isEqualTo("MLST OPTS type;size;");
    }
  }

  @Test
  void maxSessionsGreets421() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.MAX_SESSIONS, 2)); var a = RawControl.connect(server)) {
      // one after another: connections on different event loops are counted in no fixed order
      a.expect(220);
      var b = RawControl.connect(server);
      b.expect(220);
      var c = RawControl.connect(server);
      assertThat(c.expect(421).text()).contains("Too many users");
      assertThat(c.closedByServer()).isTrue();
      a.send("QUIT").expect(221);
      assertThat(a.closedByServer()).isTrue();
      waitUntil(() -> server.server().openSessions() == 1);
      try (var d = RawControl.connect(server)) {
        d.expect(220);
      }
      b.close();
      c.close();
    }
  }

  @Test
  void maxSessionsPerIpGreets421() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.MAX_SESSIONS_PER_IP, 1)); var a = RawControl.connect(server)) {
      a.expect(220);
      try (var b = RawControl.connect(server)) {
        assertThat(b.expect(421).text()).contains("your address");
      }
    }
  }

  @Test
  void idleSessionIsClosedWith421() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.IDLE_TIMEOUT, Duration.ofMillis(500))); var c = RawControl.login(server)) {
      assertThat(c.expect(421).text()).contains("Timeout");
      assertThat(c.closedByServer()).isTrue();
      waitUntil(() -> server.server().openSessions() == 0);
    }
  }

  @Test
  void connectionThatNeverLogsInIsClosed() throws Exception {
    try (var server = TestServer.start(s -> s.option(ServerOptions.LOGIN_TIMEOUT, Duration.ofMillis(400))); var c = RawControl.connect(server)) {
      c.expect(220);
      c.send("USER user").expect(331);
      assertThat(c.expect(421).text()).contains("Login timeout");
    }
  }

  @Test
  void portToAThirdPartyOrPrivilegedPortIsRefused() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      assertThat(c.send("PORT 10,0,0,1,200,10").expect(501).text()).contains("foreign address");
      assertThat(c.send("EPRT |1|192.0.2.1|5000|").expect(501).text()).contains("foreign address");
      assertThat(c.send("PORT 127,0,0,1,0,21").expect(501).text()).contains("privileged port");
      c.send("PORT 127,0,0,1,200,10").expect(200);
    }
  }

  @Test
  void epsvAllLocksOutOtherDataCommands() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      c.send("EPSV ALL").expect(200);
      c.send("PASV").expect(501);
      c.send("PORT 127,0,0,1,200,10").expect(501);
      c.send("EPRT |1|127.0.0.1|51200|").expect(501);
      c.send("SPSV").expect(501);
      c.send("EPSV").expect(229);
    }
  }

  @Test
  void pwdQuotesDoubleQuotes() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      java.nio.file.Files.createDirectories(server.root().resolve("say \"hi\""));
      c.send("CWD say \"hi\"").expect(250);
      assertThat(c.send("PWD").expect(257).text()).isEqualTo("\"/say \"\"hi\"\"\" is the current directory");
    }
  }

  @Test
  void pipelinedCommandsAreAnsweredInOrder() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      var batch = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        batch.append("NOOP\r\nPWD\r\n");
      }
      c.sendBytes(batch.toString().getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 100; i++) {
        c.expect(200);
        c.expect(257);
      }
    }
  }

  @Test
  void statAndAborBehindACommandThatIsNoTransferWaitTheirTurn() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.login(server)) {
      // sent in one write: they arrive while STAT / is still running
      c.sendBytes("STAT /\r\nSTAT\r\nABOR\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
      c.expect(213);
      assertThat(c.expect(211).lines()).contains("End of status");
      c.expect(225);
      c.expect(200);
    }
  }

  @Test
  void helpListsTheCommandTable() throws Exception {
    try (var server = TestServer.start(); var c = RawControl.connect(server)) {
      c.expect(220);
      List<String> lines = c.send("HELP").expect(214).lines();
      assertThat(String.join(" ", lines)).contains("RETR").contains("MLSD").contains("EPSV");
    }
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as("condition within 2 s").isTrue();
  }
}
