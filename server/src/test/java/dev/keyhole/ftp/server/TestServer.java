package dev.keyhole.ftp.server;

import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.auth.AccountAuthenticator;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.server.tls.TlsCertificate;
import dev.keyhole.ftp.server.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * An in-process server on an ephemeral loopback port for tests: user {@code user}/{@code secret}
 * with every permission, user {@code reader}/{@code secret} with READ only, anonymous logins, all
 * rooted at a fresh temporary directory.
 */
public final class TestServer implements AutoCloseable {

  public static final String USER = "user";
  public static final String PASSWORD = "secret";

  private final Path root;
  private final DisposableFtpServer server;

  private TestServer(Path root, DisposableFtpServer server) {
    this.root = root;
    this.server = server;
  }

  public static TestServer start() {
    return start(s -> s);
  }

  public static TestServer start(UnaryOperator<FtpServer> customize) {
    return start("127.0.0.1", customize);
  }

  public static TestServer start(String host, UnaryOperator<FtpServer> customize) {
    try {
      Path root = Files.createTempDirectory("keyhole-test");
      var accounts = List.of(
          new UserAccount(USER, PasswordHash.plain(PASSWORD), root, EnumSet.allOf(Permission.class)),
          new UserAccount("reader", PasswordHash.plain(PASSWORD), root, EnumSet.of(Permission.READ)));
      var server = FtpServer.create()
          .bindAddress(host, 0)
          .authenticator(new AccountAuthenticator(accounts, Optional.of(root)))
          .option(ServerOptions.FAILED_LOGIN_DELAY, Duration.ofMillis(10))
          .option(ServerOptions.SHUTDOWN_GRACE, Duration.ofSeconds(2));
      return new TestServer(root, customize.apply(server).bindNow());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A server with FTPS: explicit on the plain listener and implicit on a second one, both on
   * ephemeral ports, with the tests' shared self-signed certificate ({@link #tlsCertificateDir()}).
   */
  public static TestServer startTls(UnaryOperator<TlsSettings> tls) {
    return startTls(tls, s -> s);
  }

  /** A server with FTPS as {@link #startTls(UnaryOperator)}, further customised. */
  public static TestServer startTls(UnaryOperator<TlsSettings> tls, UnaryOperator<FtpServer> customize) {
    return start(s -> customize.apply(s.tls(tls.apply(TlsSettings.explicit(new TlsCertificate.SelfSigned(tlsCertificateDir()))
        .withImplicitAddresses(List.of(new InetSocketAddress("127.0.0.1", 0)))))));
  }

  /** The directory of the self-signed certificate all tests share: made by the first server that uses it. */
  public static Path tlsCertificateDir() {
    return Path.of("target", "test-tls").toAbsolutePath();
  }

  /** The implicit-FTPS port of a server from {@link #startTls}. */
  public int implicitTlsPort() {
    return server.implicitTlsAddresses().get(0).getPort();
  }

  public Path root() {
    return root;
  }

  public int port() {
    return server.port();
  }

  public String host() {
    return server.address().getAddress().getHostAddress();
  }

  public DisposableFtpServer server() {
    return server;
  }

  /** Writes a file of random bytes under the root and returns its path. */
  public Path randomFile(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    Path p = root.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, data);
    return p;
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  @Override
  public void close() throws IOException {
    server.disposeNow(Duration.ofSeconds(2));
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
