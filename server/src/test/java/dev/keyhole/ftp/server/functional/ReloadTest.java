package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A running server takes a new configuration for what starts from then on; running sessions go on. */
class ReloadTest {

  @Test
  void newSessionsSeeTheNewUsersAndBannerWhileARunningSessionGoesOn() throws Exception {
    try (var server = TestServer.start(); var running = RawControl.login(server)) {
      var next = server.server().configuration()
          .withAuthenticator(new AccountAuthenticator(List.of(new UserAccount("newcomer", PasswordHash.plain("pw"),
              server.root(), EnumSet.allOf(Permission.class))), Optional.empty()))
          .with(ServerOptions.BANNER, "Reloaded.");
      server.server().reconfigure(next);

      running.send("NOOP").expect(200);
      running.send("PWD").expect(257);
      try (var fresh = RawControl.connect(server)) {
        assertThat(fresh.expect(220).text()).isEqualTo("Reloaded.");
        fresh.send("USER " + TestServer.USER).expect(331);
        fresh.send("PASS " + TestServer.PASSWORD).expect(530);
      }
      try (var fresh = RawControl.connect(server)) {
        fresh.expect(220);
        fresh.send("USER newcomer").expect(331);
        fresh.send("PASS pw").expect(230);
      }
      assertThat(server.server().configuration().get(ServerOptions.BANNER)).isEqualTo("Reloaded.");
    }
  }

  @Test
  void aRenewedCertificateServesNewTlsSessionsWhileARunningOneGoesOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    var wait = java.time.Duration.ofSeconds(20);
    try (var server = TestServer.startTls(t -> t)) {
      var before = server.server().tls().orElseThrow().fingerprint();
      var oldTrust = java.util.Optional.of(dev.keyhole.ftp.client.ClientTls.trusting(
          TestServer.tlsCertificateDir().resolve("cert.pem"), false));
      var address = new InetSocketAddress("127.0.0.1", server.port());
      var running = dev.keyhole.ftp.client.FtpClient.connect(address, wait, oldTrust).block(wait);
      running.login(TestServer.USER, TestServer.PASSWORD).block(wait);

      var renewed = dev.keyhole.ftp.server.tls.TlsSettings.explicit(
              new dev.keyhole.ftp.server.tls.TlsCertificate.SelfSigned(tmp.resolve("renewed")))
          .withImplicitAddresses(server.server().configuration().tls().orElseThrow().implicitAddresses());
      server.server().reconfigure(server.server().configuration().withTls(renewed));
      assertThat(server.server().tls().orElseThrow().fingerprint()).isNotEqualTo(before);

      // the session that ran under the old certificate goes on
      assertThat(running.list("", dev.keyhole.ftp.transport.DataChannelKind.EPSV).block(wait)).isNotNull();
      running.quit().block(wait);
      // a new session is served the new certificate: trusting it alone is enough
      var newTrust = java.util.Optional.of(dev.keyhole.ftp.client.ClientTls.trusting(
          tmp.resolve("renewed/cert.pem"), false));
      var fresh = dev.keyhole.ftp.client.FtpClient.connect(address, wait, newTrust).block(wait);
      fresh.login(TestServer.USER, TestServer.PASSWORD).block(wait);
      fresh.quit().block(wait);
    }
  }

  @Test
  void whatNeedsARestartIsRefusedAndNothingChanges() throws Exception {
    try (var server = TestServer.start()) {
      var before = server.server().configuration();
      var moved = before.withBindAddresses(List.of(new InetSocketAddress("127.0.0.1", 2)))
          .with(ServerOptions.BANNER, "Not applied.");
      assertThatThrownBy(() -> server.server().reconfigure(moved))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bind addresses cannot change");
      assertThat(server.server().configuration()).isSameAs(before);
    }
  }
}
