package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The server on ::1: EPSV and EPRT (Commons Net uses them by itself over IPv6). */
class Ipv6Test {

  static boolean ipv6Loopback() {
    try (var s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(value = ClientMode.class, names = {"EPSV", "EPRT"})
  void transfersWorkOverIpv6(ClientMode mode) throws Exception {
    assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
    try (var server = TestServer.start("::1", s -> s)) {
      var file = server.randomFile("six.bin", 500_000);
      var client = mode.connect(server);
      try {
        var out = new ByteArrayOutputStream();
        assertThat(client.retrieveFile("six.bin", out)).as(client.getReplyString()).isTrue();
        assertThat(TestServer.sha256(out.toByteArray())).isEqualTo(TestServer.sha256(file));
        assertThat(client.storeFile("up.bin", new ByteArrayInputStream(out.toByteArray()))).isTrue();
        assertThat(TestServer.sha256(server.root().resolve("up.bin"))).isEqualTo(TestServer.sha256(file));
        assertThat(client.listNames()).contains("six.bin", "up.bin");
      } finally {
        ClientMode.quit(client);
      }
    }
  }

  @Test
  void pasvAndEpsvForTheWrongFamilyAreRefusedOverIpv6() throws Exception {
    assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
    try (var server = TestServer.start("::1", s -> s); var c = RawControl.login(server)) {
      c.send("PASV").expect(425);
      assertThat(c.send("EPSV 1").expect(522).text()).contains("(2)");
      c.send("EPSV 2").expect(229);
      c.send("EPRT |2|::1|5000|").expect(200);
    }
  }
}
