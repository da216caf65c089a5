package dev.keyhole.ftp.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Authenticates one virtual host's users against a {@link UserStore}: looks the account up (on
 * the server's blocking scheduler) and checks the password against its hash. An unknown name
 * costs a bcrypt check of the same cost as a real one, so that timing does not tell names apart.
 * A store that fails (a database down) fails that login with an error reply, and the session goes
 * on.
 */
public final class StoreAuthenticator implements Authenticator {

  /** What an unknown name is checked against: a bcrypt hash of the cost {@code keyhole users} writes. */
  private static final PasswordHash DECOY = PasswordHash.bcrypt(PasswordHash.hash("decoy", 10)).decoy();

  private final UserStore store;
  private final String host;
  private final Optional<Path> anonymousHome;

  /** Authenticates the accounts of {@code host} ({@link UserStore#DEFAULT_HOST} for the default host). */
  public StoreAuthenticator(UserStore store, String host) {
    this(store, host, Optional.empty());
  }

  /** As {@link #StoreAuthenticator(UserStore, String)}; with {@code anonymousHome}, also {@code anonymous} and {@code ftp}, read-only there. */
  public StoreAuthenticator(UserStore store, String host, Optional<Path> anonymousHome) {
    this.store = store;
    this.host = host;
    this.anonymousHome = anonymousHome;
  }

  @Override
  public boolean isAnonymousName(String name) {
    return anonymousHome.isPresent() && (name.equals("anonymous") || name.equals("ftp"));
  }

  @Override
  public List<Path> roots() {
    return anonymousHome.map(List::of).orElse(List.of());
  }

  @Override
  public Mono<Optional<User>> authenticate(String name, String password, InetSocketAddress remote) {
    return Mono.fromCallable(() -> {
      if (isAnonymousName(name)) {
        return Optional.of(new User(name, anonymousHome.orElseThrow(), EnumSet.of(Permission.READ), true));
      }
      Optional<UserAccount> account;
      try {
        account = store.find(host, name);
      } catch (IOException e) {
        throw new UncheckedIOException("user store: " + e.getMessage(), e);
      }
      if (account.isEmpty()) {
        DECOY.matches(password);
        return Optional.<User>empty();
      }
      var a = account.get();
      return a.password().matches(password)
          ? Optional.of(new User(a.name(), a.home(), a.permissions(), false, a.limits()))
          : Optional.<User>empty();
    });
  }
}
