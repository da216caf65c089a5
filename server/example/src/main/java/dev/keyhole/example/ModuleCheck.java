package dev.keyhole.example;

import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Runs a server and the client with the Keyhole libraries on the module path: a file goes down
 * over every data-channel kind and must come back whole. Exits 1 if a byte differs.
 */
public final class ModuleCheck {

  private ModuleCheck() {}

  public static void main(String[] args) throws Exception {
    var wait = Duration.ofSeconds(20);
    var root = Files.createTempDirectory("keyhole-jpms");
    byte[] content = new byte[300_000];
    new Random(7).nextBytes(content);
    Files.write(root.resolve("file.bin"), content);
    var server = FtpServer.create()
        .bindAddress("127.0.0.1", 0)
        .option(ServerOptions.BANNER, "Module check.")
        .authenticator(new AccountAuthenticator(
            List.of(new UserAccount("check", PasswordHash.plain("check"), root, EnumSet.allOf(Permission.class))),
            Optional.empty()))
        .bindNow();
    int failures = 0;
    try {
      var client = FtpClient.connect(new InetSocketAddress("127.0.0.1", server.port()), wait).block(wait);
      client.login("check", "check").block(wait);
      for (var kind : DataChannelKind.values()) {
        byte[] got = client.fetch("RETR file.bin", kind).block(wait);
        boolean whole = Arrays.equals(got, content);
        System.out.println("module path, " + kind + ": " + (whole ? "whole" : "DIFFERENT"));
        failures += whole ? 0 : 1;
      }
      client.quit().block(wait);
    } finally {
      server.disposeNow(wait);
    }
    if (failures > 0) {
      System.exit(1);
    }
  }
}
