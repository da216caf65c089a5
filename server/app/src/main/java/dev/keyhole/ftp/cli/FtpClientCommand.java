package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.client.ClientResources;
import dev.keyhole.ftp.client.ClientTls;
import dev.keyhole.ftp.client.FtpClient;
import dev.keyhole.ftp.client.FtpUrl;
import dev.keyhole.ftp.config.Durations;
import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.transport.DataChannelKind;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Mono;

/** {@code keyhole ftp}: the bundled client, with single-port (SPSV) support. */
@Command(name = "ftp", mixinStandardHelpOptions = true,
    description = "A command-line FTP client that speaks every data-channel kind, SPSV included.",
    subcommands = {FtpClientCommand.Ls.class, FtpClientCommand.Get.class, FtpClientCommand.Put.class,
        FtpClientCommand.Rm.class})
final class FtpClientCommand {

  /** Options every subcommand takes. */
  static final class Common {
    @Option(names = "--data-channel", paramLabel = "KIND",
        description = "spsv, epsv, pasv, port or eprt (default: the best the server's FEAT offers: epsv, then spsv, then pasv)")
    @Nullable String dataChannel;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "for connecting and each reply (default 30s)")
    String timeout = "30s";

    @Option(names = "--tls", description = "explicit FTPS: AUTH TLS, then PROT P (as ftpes:// URLs; ftps:// URLs are implicit FTPS)")
    boolean tls;

    @Option(names = {"-k", "--insecure"}, description = "with TLS: accept any certificate (encryption without authentication)")
    boolean insecure;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "with TLS: trust the certificates of this PEM file (a self-signed server's cert.pem)")
    @Nullable Path tlsCa;

    @Option(names = "--connect-to", paramLabel = "HOST:PORT",
        description = "connect there instead of the URL's host and port, still naming the URL's host (HOST, TLS server name); "
            + "as curl's --connect-to, for a virtual host not in DNS")
    @Nullable String connectTo;

    /** Where to connect: the URL's host and port, or --connect-to. */
    InetSocketAddress address(FtpUrl url) {
      if (connectTo == null) {
        return new InetSocketAddress(url.host(), url.port());
      }
      int colon = connectTo.lastIndexOf(':');
      String host = colon > 0 ? connectTo.substring(0, colon) : "";
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        return new InetSocketAddress(host, Integer.parseInt(connectTo.substring(colon + 1)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--connect-to takes HOST:PORT, not '" + connectTo + "'");
      }
    }

    /** The virtual host a URL names: its host, unless that is an address literal (RFC 7151: HOST is for names). */
    static @Nullable String virtualHost(FtpUrl url) {
      return AddressFormats.literal(url.host(), url.host().contains(":")).isPresent() ? null : url.host();
    }

    Optional<ClientTls> clientTls(FtpUrl url) {
      if (!tls && url.security() == FtpUrl.Security.NONE) {
        if (insecure || tlsCa != null) {
          throw new IllegalArgumentException("--insecure and --tls-ca need --tls or an ftps:// or ftpes:// URL");
        }
        return Optional.empty();
      }
      boolean implicit = url.security() == FtpUrl.Security.IMPLICIT;
      return Optional.of(insecure ? ClientTls.insecure(implicit)
          : tlsCa != null ? ClientTls.trusting(tlsCa, implicit)
          : ClientTls.system(implicit));
    }

    <T> T run(FtpUrl url, Function<Session, Mono<T>> work) {
      Duration limit = Durations.parse(timeout);
      Optional<DataChannelKind> requested = Optional.ofNullable(dataChannel).map(FtpClientCommand::kind);
      return FtpClient.connect(address(url), null, virtualHost(url), limit, clientTls(url), ClientResources.shared())
          .flatMap(client -> client.login(url.user(), url.password())
              .then(Mono.defer(() -> work.apply(new Session(client, client.choose(requested)))))
              .flatMap(result -> client.quit().thenReturn(result))
              .onErrorResume(e -> client.quietClose().then(Mono.error(e))))
          .block();
    }
  }

  /** A logged-in client and the data channel it uses. */
  record Session(FtpClient client, DataChannelKind mode) {}

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List a directory (LIST).")
  static final class Ls implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(paramLabel = "URL", description = "ftp://, ftpes:// or ftps://[user[:password]@]host[:port]/path")
    String url;

    @Override
    public Integer call() {
      var target = FtpUrl.parse(url);
      String listing = common.run(target, s -> s.client().list(target.path(), s.mode()));
      System.out.print(listing);
      System.out.flush();
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Download a file (RETR).")
  static final class Get implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(index = "0", paramLabel = "URL", description = "ftp://, ftpes:// or ftps://[user[:password]@]host[:port]/path")
    String url;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL", description = "file or directory (default: the file's name here)")
    @Nullable Path local;

    @Override
    public Integer call() {
      var source = FtpUrl.parse(url);
      if (source.fileName().isEmpty()) {
        throw new IllegalArgumentException("the URL names a directory: " + url);
      }
      Path target = local == null ? Path.of(source.fileName())
          : Files.isDirectory(local) ? local.resolve(source.fileName()) : local;
      long bytes = common.run(source, s -> s.client().size(source.path())
          .map(OptionalLong::of).defaultIfEmpty(OptionalLong.empty())
          .flatMap(size -> {
            var progress = ProgressBar.forTerminal(size);
            return s.client().download(source.path(), target, s.mode(), progress).doOnSuccess(n -> progress.finish());
          }));
      System.err.println(bytes + " bytes -> " + target + " (" + source.fileName() + ")");
      return 0;
    }
  }

  @Command(name = "put", mixinStandardHelpOptions = true, description = "Upload a file (STOR).")
  static final class Put implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(index = "0", paramLabel = "LOCAL", description = "the file to upload")
    Path local;

    @Parameters(index = "1", paramLabel = "URL", description = "ftp://.../path, or a directory URL ending in /")
    String url;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(local)) {
        throw new IllegalArgumentException("not a file: " + local);
      }
      var target = FtpUrl.parse(url);
      String path = target.path().endsWith("/") ? target.path() + local.getFileName() : target.path();
      long size = Files.size(local);
      long bytes = common.run(target, s -> {
        var progress = ProgressBar.forTerminal(OptionalLong.of(size));
        return s.client().upload(local, path, s.mode(), progress).doOnSuccess(n -> progress.finish());
      });
      System.err.println(bytes + " bytes -> " + path);
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a file (DELE).")
  static final class Rm implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(paramLabel = "URL", description = "ftp://, ftpes:// or ftps://[user[:password]@]host[:port]/path")
    String url;

    @Override
    public Integer call() {
      var target = FtpUrl.parse(url);
      common.run(target, s -> s.client().delete(target.path()).thenReturn(true));
      return 0;
    }
  }

  /** The kind {@code --data-channel} names; {@link IllegalArgumentException} naming the option otherwise. */
  static DataChannelKind kind(String text) {
    try {
      return DataChannelKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--data-channel " + text + ": not one of spsv, epsv, pasv, port, eprt");
    }
  }
}
