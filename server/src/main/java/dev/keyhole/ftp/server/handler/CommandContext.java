package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpCommand;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.auth.Authenticator;
import dev.keyhole.ftp.server.auth.User;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import dev.keyhole.ftp.server.fs.FileSystemView;
import dev.keyhole.ftp.server.fs.VirtualPath;
import dev.keyhole.ftp.server.session.FtpSession;
import dev.keyhole.ftp.server.session.ServerContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What a handler gets: the session, the command and the server's shared services.
 *
 * @param session the session the command arrived on
 * @param command the command
 * @param server the server's shared services
 */
public record CommandContext(FtpSession session, FtpCommand command, ServerContext server) {

  private static final Logger log = LoggerFactory.getLogger(CommandContext.class);


  public String argument() {
    return command.argument();
  }

  /** The command's argument resolved against the working directory. */
  public VirtualPath path() {
    return session.cwd().resolve(command.argument());
  }

  public User user() {
    return session.loggedIn().user();
  }

  public FileSystemView fileSystem() {
    return session.loggedIn().fileSystem();
  }

  /** Maps a virtual path to the real one, inside the jail. Blocking: call within {@link #blocking}. */
  public Path real(VirtualPath path) throws IOException {
    return fileSystem().toPath(path);
  }

  /** Runs blocking work (file-system calls) on a virtual thread. */
  public <T> Mono<T> blocking(Callable<T> work) {
    return Mono.fromCallable(work).subscribeOn(server.blocking());
  }

  /**
   * The INFO line of a change to the file system, with who made it, from where, and whether the
   * control connection was under TLS: {@code session 7 from 192.0.2.7:50312 (alice, TLS): deleted /a.txt}.
   */
  public void logChange(String what) {
    log.info("session {} from {} ({}{}): {}", session.id(), AddressFormats.hostPort(session.remote()),
        session.userName(), session.controlTls() ? ", TLS" : "", what);
  }

  /** The virtual host the session logs in to: the one it chose with HOST, else the default one, if any. */
  public Optional<VirtualHost> host() {
    return session.host().or(() -> server.config().defaultHost());
  }

  /** Who may log in: the virtual host's users, or the server's. */
  public Authenticator authenticator() {
    return host().map(VirtualHost::authenticator).orElseGet(() -> server.config().authenticator());
  }

  /** The file system of the virtual host, or the server's. */
  public FileSystemFactory fileSystemFactory() {
    return host().map(VirtualHost::fileSystem).orElseGet(() -> server.config().fileSystemFactory());
  }

  public static Mono<FtpReply> reply(int code, String text) {
    return Mono.just(FtpReply.of(code, text));
  }
}
