package dev.keyhole.ftp.server.auth;

import java.net.InetSocketAddress;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Checks a user name and password. Implementations may block (password hashing, a directory
 * lookup) inside the returned {@link Mono}: the server subscribes to it on a virtual thread.
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

  /** Whether the name is an anonymous login, answered 331 with a request for an e-mail address. */
  default boolean isAnonymousName(String name) {
    return false;
  }
}
