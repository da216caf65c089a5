package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.server.ExternalTool;
import dev.keyhole.ftp.server.auth.PasswordHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code hosts:} section of the YAML file: two customers on one address and port, each with
 * its own root, greeting and a user of the same name with another password, driven by Python's
 * ftplib, which sends HOST before logging in.
 */
class VirtualHostConfigTest {

  @TempDir Path tmp;

  @Test
  void twoHostsWithTheSameUserNameThroughFtplib() throws Exception {
    var python = ExternalTool.require("python3").toString();
    var root = Files.createDirectories(tmp.resolve("srv"));
    Files.createDirectories(root.resolve("a"));
    Files.createDirectories(root.resolve("b"));
    Files.writeString(root.resolve("a/only-a.txt"), "a");
    Files.writeString(root.resolve("b/only-b.txt"), "b");
    String yaml = "root: " + root + "\n"
        + "hosts:\n"
        + "  - name: a.example\n    aliases: [ftp.a.example]\n    root: a\n    banner: Customer A.\n"
        + "    users:\n      - name: u\n        password: \"" + PasswordHash.hash("pw-a", 4) + "\"\n"
        + "  - name: b.example\n    root: b\n    banner: Customer B.\n"
        + "    users:\n      - name: u\n        password: \"" + PasswordHash.hash("pw-b", 4) + "\"\n";
    var file = ConfigFile.parse(yaml + "port: 0\n");
    var server = new ServeCommand().configure(file).server().bindNow();
    try {
      String script = """
          import ftplib, io, sys
          port = int(sys.argv[1])
          for host, password, other in (("ftp.a.example", "pw-a", "pw-b"), ("b.example", "pw-b", "pw-a")):
              ftp = ftplib.FTP()
              ftp.connect("127.0.0.1", port)
              print(host, ftp.sendcmd("HOST " + host))
              try:
                  ftp.login("u", other)
                  print(host, "wrong password accepted")
              except ftplib.error_perm as e:
                  print(host, "other password:", str(e)[:3])
              ftp.sendcmd("HOST " + host)
              ftp.login("u", password)
              print(host, "files", ftp.nlst())
              ftp.storbinary("STOR up.txt", io.BytesIO(host.encode()))
              ftp.quit()
          """;
      var result = ExternalTool.run(tmp, List.of(python, "-c", script, Integer.toString(server.port())));
      assertThat(result.exit()).as(result.output()).isZero();
      assertThat(result.output())
          .contains("ftp.a.example 220 Customer A.", "b.example 220 Customer B.")
          .contains("ftp.a.example other password: 530", "b.example other password: 530")
          .contains("ftp.a.example files ['only-a.txt']", "b.example files ['only-b.txt']")
          .doesNotContain("wrong password accepted");
      assertThat(Files.readString(root.resolve("a/up.txt"))).isEqualTo("ftp.a.example");
      assertThat(Files.readString(root.resolve("b/up.txt"))).isEqualTo("b.example");
    } finally {
      server.disposeNow(Duration.ofSeconds(2));
    }
  }

  @Test
  void aHostsOwnCertificate() throws Exception {
    var file = ConfigFile.parse("root: " + tmp + "\nhosts:\n  - name: a.example\n    root: a\n"
        + "    tlsCert: /etc/keyhole/a.pem\n    tlsKey: /etc/keyhole/a.key\n");
    var host = new ServeCommand().configure(file).server().configuration().virtualHosts().get(0);
    assertThat(host.certificate()).contains(new dev.keyhole.ftp.server.tls.TlsCertificate.PemFiles(
        Path.of("/etc/keyhole/a.pem"), Path.of("/etc/keyhole/a.key")));
    assertThatThrownBy(() -> ConfigFile.parse("hosts:\n  - name: a.example\n    root: a\n    tlsCert: x.pem\n"))
        .hasMessageContaining("tlsCert and tlsKey go together");
  }

  @Test
  void aHostsLimitsApplyToItsUsersAndItsOwnStoreToItsLogins() throws Exception {
    var root = Files.createDirectories(tmp.resolve("srv"));
    String db = "jdbc:sqlite:" + tmp.resolve("b-users.db");
    var store = dev.keyhole.ftp.server.auth.JdbcUserStore.of(db);
    store.createTable();
    store.put("", new dev.keyhole.ftp.server.auth.UserAccount("carl", dev.keyhole.ftp.server.auth.PasswordHash.bcrypt(
        PasswordHash.hash("pw-c", 4)), Files.createDirectories(root.resolve("b")),
        java.util.EnumSet.allOf(dev.keyhole.ftp.server.auth.Permission.class)));
    String yaml = "root: " + root + "\nport: 0\nfailedLoginDelay: 0s\nhosts:\n"
        + "  - name: a.example\n    root: a\n    downloadRate: 1m\n    quotaBytes: 5m\n"
        + "    users:\n      - name: u\n        password: \"" + PasswordHash.hash("pw", 4) + "\"\n"
        + "      - name: v\n        password: \"" + PasswordHash.hash("pw", 4) + "\"\n        downloadRate: 2m\n"
        + "  - name: b.example\n    root: b\n    userStore: \"" + db + "\"\n    uploadRate: 512k\n";
    var server = new ServeCommand().configure(ConfigFile.parse(yaml)).server().bindNow();
    try {
      var a = server.configuration().virtualHosts().get(0);
      var u = a.authenticator().authenticate("u", "pw", new java.net.InetSocketAddress(0)).block().orElseThrow();
      var v = a.authenticator().authenticate("v", "pw", new java.net.InetSocketAddress(0)).block().orElseThrow();
      assertThat(u.limits().downloadRate()).hasValue(1L << 20);
      assertThat(u.limits().quotaBytes()).hasValue(5L << 20);
      assertThat(v.limits().downloadRate()).hasValue(2L << 20);
      var ftp = new org.apache.commons.net.ftp.FTPClient();
      ftp.connect("127.0.0.1", server.port());
      assertThat(ftp.sendCommand("HOST", "b.example")).isEqualTo(220);
      assertThat(ftp.login("carl", "pw-c")).isTrue();
      ftp.disconnect();
      var b = server.configuration().virtualHosts().get(1);
      var carl = b.authenticator().authenticate("carl", "pw-c", new java.net.InetSocketAddress(0)).block().orElseThrow();
      assertThat(carl.limits().uploadRate()).hasValue(512L << 10);
    } finally {
      server.disposeNow(Duration.ofSeconds(2));
    }
    assertThatThrownBy(() -> ConfigFile.parse("hosts:\n  - name: a.example\n    root: a\n    userStore: x\n"
        + "    users: []\n")).hasMessageContaining("users and userStore exclude each other");
  }

  @Test
  void mistakesInTheHostsSectionAreOneLine() {
    assertThatThrownBy(() -> ConfigFile.parse("hosts:\n  - name: a.example\n    roots: x\n"))
        .hasMessageContaining("roots");
    assertThatThrownBy(() -> ConfigFile.parse("hosts:\n  - name: a.example\n")).hasMessageContaining("a name and a root");
    assertThatThrownBy(() -> new ServeCommand().configure(ConfigFile.parse("hosts:\n  - name: bad_name\n    root: x\n")))
        .hasMessageContaining("not a host name: 'bad_name'");
  }
}
