package dev.keyhole.ftp.server.auth;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * Authenticates against a fixed list of accounts, and optionally lets {@code anonymous} and {@code
 * ftp} log in read-only with any password (as vsftpd's {@code anonymous_enable}).
 */
public final class AccountAuthenticator implements Authenticator {

  private final Map<String, UserAccount> accounts;
  /** What unknown names are checked against: as costly as the costliest account's hash. */
  private final PasswordHash noSuchUser;
  private final Optional<Path> anonymousHome;

  /** Authenticates these accounts; with {@code anonymousHome}, also {@code anonymous} and {@code ftp}, read-only there. */
  public AccountAuthenticator(List<UserAccount> accounts, Optional<Path> anonymousHome) {
    this.accounts = accounts.stream().collect(Collectors.toUnmodifiableMap(UserAccount::name, Function.identity()));
    this.anonymousHome = anonymousHome;
    this.noSuchUser = accounts.stream()
        .map(UserAccount::password)
        .max(Comparator.comparingInt(AccountAuthenticator::cost))
        .orElse(PasswordHash.plain(""))
        .decoy();
  }

  private static int cost(PasswordHash hash) {
    return hash instanceof PasswordHash.Bcrypt b ? b.cost() : 0;
  }

  @Override
  public List<Path> roots() {
    var roots = new java.util.LinkedHashSet<Path>();
    accounts.values().forEach(a -> roots.add(a.home()));
    anonymousHome.ifPresent(roots::add);
    return List.copyOf(roots);
  }

  /** Only bcrypt blocks: plain passwords are compared in memory, without a hop to a virtual thread. */
  @Override
  public boolean blocks() {
    return noSuchUser instanceof PasswordHash.Bcrypt;
  }

  @Override
  public boolean isAnonymousName(String name) {
    return anonymousHome.isPresent() && (name.equals("anonymous") || name.equals("ftp"));
  }

  @Override
  public Mono<Optional<User>> authenticate(String name, String password, InetSocketAddress remote) {
    return Mono.fromCallable(() -> check(name, password));
  }

  private Optional<User> check(String name, String password) {
    if (isAnonymousName(name) && !accounts.containsKey(name)) {
      return Optional.of(new User(name, anonymousHome.orElseThrow(), EnumSet.of(Permission.READ), true));
    }
    UserAccount account = accounts.get(name);
    if (account == null) {
      // spend the same kind of work for unknown names, so that timing does not tell them apart
      noSuchUser.matches(password);
      return Optional.empty();
    }
    if (!account.password().matches(password)) {
      return Optional.empty();
    }
    return Optional.of(new User(account.name(), account.home(), account.permissions(), false, account.limits()));
  }
}
