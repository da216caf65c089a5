package dev.keyhole.ftp.alg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.RawControl;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HOST (RFC 7151) through the ALG in every mode: a host name reaches the server as it is, so the
 * virtual host's users and greeting apply; an address literal naming the ALG becomes the server's
 * own address (the server compares it with where it was reached), another stays for the server to
 * refuse.
 */
class AlgHostTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(AlgMode.class)
  void hostPassesThrough(AlgMode mode) throws Exception {
    String serverHost = mode == AlgMode.NAT46 ? "::1" : "127.0.0.1";
    String listenHost = mode == AlgMode.NAT64 ? "::1" : "127.0.0.1";
    var root = Files.createDirectories(tmp.resolve("a"));
    var a = VirtualHost.of("a.example", new AccountAuthenticator(List.of(new UserAccount("u", PasswordHash.plain("pw-a"),
        root, EnumSet.allOf(Permission.class))), Optional.empty()), FileSystemFactory.jailed()).withBanner("Customer A.");
    try (var server = TestServer.start(serverHost, s -> {
      var configured = s.virtualHost(a);
      return mode == AlgMode.SPSV_ADAPTER ? configured.singlePort() : configured;
    })) {
      var listener = new AlgListener(new InetSocketAddress(listenHost, 0), new InetSocketAddress(serverHost, server.port()), mode);
      var alg = FtpAlg.from(AlgConfig.of(List.of(listener))).bind().block(Duration.ofSeconds(20));
      try {
        var address = alg.addresses().get(0);
        try (var c = new RawControl(address.getAddress().getHostAddress(), address.getPort())) {
          c.expect(220);
          assertThat(c.send("HOST a.example").expect(220).text()).isEqualTo("Customer A.");
          c.send("USER u").expect(331);
          c.send("PASS pw-a").expect(230);
        }
        try (var c = new RawControl(address.getAddress().getHostAddress(), address.getPort())) {
          c.expect(220);
          String own = listenHost.contains(":") ? "[" + listenHost + "]" : listenHost;
          c.send("HOST " + own).expect(220);
          c.send("HOST " + (listenHost.contains(":") ? "[2001:db8::1]" : "192.0.2.1")).expect(504);
          c.send("HOST c.example").expect(504);
        }
      } finally {
        alg.disposeNow(Duration.ofSeconds(5));
      }
    }
  }
}
