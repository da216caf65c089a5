package dev.keyhole.ftp.server.auth;

import java.net.InetSocketAddress;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Checks a user name and password. Implementations may block (password hashing, a directory
 * lookup) inside the returned {@link Mono}: the server subscribes to it on a virtual thread,
 * unless {@link #blocks()} says there is no need.
 */
@FunctionalInterface
public interface Authenticator {

  /** The user, or empty when the name or password is wrong. */
  Mono<Optional<User>> authenticate(String name, String password, InetSocketAddress remote);

  /**
   * The directories users are rooted in, where known: at start the server removes the partial
   * uploads a crash left there. Empty by default.
   */
  default java.util.List<java.nio.file.Path> roots() {
    return java.util.List.of();
  }

  /**
   * Whether {@link #authenticate} may block or spend much CPU (true, the default): then the server
   * calls it on a virtual thread. An authenticator that only looks in memory and compares cheap
   * hashes returns false, and a login costs no hop between threads.
   */
  default boolean blocks() {
    return true;
  }

  /** Whether the name is an anonymous login, answered 331 with a request for an e-mail address. */
  default boolean isAnonymousName(String name) {
    return false;
  }
}
