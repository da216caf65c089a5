package dev.keyhole.ftp.server.api;


import dev.keyhole.ftp.protocol.FtpReply;
import java.net.InetSocketAddress;
import reactor.core.publisher.Mono;

/**
 * Decides, before the server acts, whether a command, a login, an upload, a download, a deletion,
 * a rename or a new directory may go ahead: allow it, deny it with a reply of your choice, or
 * disconnect the session (Apache FtpServer's Ftplets are the model). Register with {@code
 * FtpServer.interceptor}; several run in the order given, and the first that does not allow
 * decides.
 *
 * <p>Called on the session's event loop, after the server's own checks (login, permissions,
 * arguments) have passed, once for every command ({@link Action.Command}) and once more for the
 * commands that log in or touch the file system. The returned {@link Mono} must not block the
 * caller: an interceptor that calls a blocking service subscribes to it on a scheduler of its own
 * (for example {@code Schedulers.boundedElastic()}). Paths are the user's virtual paths
 * ({@code /dir/file}), never the server's.
 */
@FunctionalInterface
public interface FtpInterceptor {

  /** Decides on one action. */
  Mono<Decision> intercept(Action action);

  /** Who acts: the session, its client's address, and the user ({@code -} before login). */
  record Client(long sessionId, InetSocketAddress remote, String user) {}

  /** What a client is about to do. */
  sealed interface Action {
    /** Who asks. */
    Client client();

    /** Any command, before its handler; PASS's argument is given as {@code ****}. */
    record Command(Client client, String verb, String argument) implements Action {}

    /** PASS for this user name (the password was not checked yet). */
    record Login(Client client, String user) implements Action {}

    /** STOR, APPE or STOU to this path ({@code append} for APPE). */
    record Upload(Client client, String path, boolean append) implements Action {}

    /** RETR of this path. */
    record Download(Client client, String path) implements Action {}

    /** DELE ({@code directory} false) or RMD ({@code directory} true) of this path. */
    record Delete(Client client, String path, boolean directory) implements Action {}

    /** RNTO: the rename that RNFR started. */
    record Rename(Client client, String from, String to) implements Action {}

    /** MKD of this path. */
    record MakeDirectory(Client client, String path) implements Action {}
  }

  /** What to do with an action. */
  sealed interface Decision {
    /** Go ahead. */
    record Allow() implements Decision {}

    /** Refuse with this reply; the session goes on. */
    record Deny(FtpReply reply) implements Decision {}

    /** Refuse and close the session: the reply is sent with code 421 (RFC 959: closing). */
    record Disconnect(String text) implements Decision {}

    /** The decision to go ahead. */
    Decision ALLOW = new Allow();

    /** Refuses with {@code code} and {@code text}. */
    static Decision deny(int code, String text) {
      return new Deny(FtpReply.of(code, text));
    }

    /** Closes the session with {@code 421 text}. */
    static Decision disconnect(String text) {
      return new Disconnect(text);
    }
  }
}
