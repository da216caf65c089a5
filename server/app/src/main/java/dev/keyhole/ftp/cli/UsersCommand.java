package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.server.auth.JdbcUserStore;
import dev.keyhole.ftp.server.auth.PasswordHash;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.UserAccount;
import dev.keyhole.ftp.server.auth.UserLimits;
import dev.keyhole.ftp.server.auth.UserStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code keyhole users add|passwd|del|list --users URL}: accounts in a SQL user store, changed
 * while servers run (they read an account at login, through their cache of {@code
 * --users-cache}). Passwords are read from the terminal (twice) or one line of standard input,
 * never from the command line, and stored as bcrypt hashes.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "Manage the accounts of a user store (--users jdbc:sqlite:FILE or jdbc:postgresql://...).",
    subcommands = {UsersCommand.Add.class, UsersCommand.Passwd.class, UsersCommand.Del.class, UsersCommand.ListUsers.class})
final class UsersCommand implements Callable<Integer> {

  @Option(names = "--users", paramLabel = "URL", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "the store: jdbc:sqlite:FILE (made when missing) or jdbc:postgresql://HOST/DB?user=...")
  String url;

  @Option(names = "--host", paramLabel = "NAME", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "the virtual host the account belongs to (default: the default host)")
  String host = UserStore.DEFAULT_HOST;

  @Override
  public Integer call() {
    System.err.println("keyhole users: say add, passwd, del or list (keyhole users --help)");
    return 2;
  }

  JdbcUserStore store() throws java.io.IOException {
    var store = JdbcUserStore.of(ServeOptions.jdbcUrl(url));
    store.createTable();
    return store;
  }

  /** {@code keyhole users add NAME --home DIR [--permissions LIST]}. */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an account (or replace one of that name).")
  static final class Add implements Callable<Integer> {
    @ParentCommand UsersCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--home", paramLabel = "DIR", required = true, description = "the user's root directory")
    Path home;

    @Option(names = "--permissions", paramLabel = "LIST", split = ",",
        description = "of read, write, delete, rename, mkdir (default: all)")
    List<String> permissions;

    @Option(names = "--cost", description = "bcrypt cost, 4 to 31 (default: ${DEFAULT-VALUE})")
    int cost = PasswordHash.DEFAULT_COST;

    @Override
    public Integer call() throws Exception {
      Set<Permission> granted = ServeCommand.permissions(permissions);
      String password = PasswdCommand.readPassword();
      try (var store = parent.store()) {
        store.put(parent.host, new UserAccount(name, PasswordHash.bcrypt(PasswordHash.hash(password, cost)),
            home.toAbsolutePath().normalize(), granted, UserLimits.SERVER_DEFAULTS));
      }
      System.out.println("added " + name + (parent.host.isEmpty() ? "" : " on host " + parent.host));
      return 0;
    }
  }

  /** {@code keyhole users passwd NAME}. */
  @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set an account's password.")
  static final class Passwd implements Callable<Integer> {
    @ParentCommand UsersCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--cost", description = "bcrypt cost, 4 to 31 (default: ${DEFAULT-VALUE})")
    int cost = PasswordHash.DEFAULT_COST;

    @Override
    public Integer call() throws Exception {
      try (var store = parent.store()) {
        var account = store.find(parent.host, name);
        if (account.isEmpty()) {
          System.err.println("keyhole users: no account " + name + (parent.host.isEmpty() ? "" : " on host " + parent.host));
          return 1;
        }
        String password = PasswdCommand.readPassword();
        var a = account.get();
        store.put(parent.host, new UserAccount(a.name(), PasswordHash.bcrypt(PasswordHash.hash(password, cost)), a.home(),
            a.permissions(), a.limits()));
      }
      System.out.println("password of " + name + " changed");
      return 0;
    }
  }

  /** {@code keyhole users del NAME}. */
  @Command(name = "del", mixinStandardHelpOptions = true, description = "Remove an account.")
  static final class Del implements Callable<Integer> {
    @ParentCommand UsersCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      try (var store = parent.store()) {
        if (!store.delete(parent.host, name)) {
          System.err.println("keyhole users: no account " + name + (parent.host.isEmpty() ? "" : " on host " + parent.host));
          return 1;
        }
      }
      System.out.println("removed " + name);
      return 0;
    }
  }

  /** {@code keyhole users list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List a host's accounts: name, home, permissions.")
  static final class ListUsers implements Callable<Integer> {
    @ParentCommand UsersCommand parent;

    @Override
    public Integer call() throws Exception {
      try (var store = parent.store()) {
        for (var a : store.list(parent.host)) {
          System.out.println(a.name() + "\t" + a.home() + "\t" + a.permissions().stream().sorted()
              .map(p -> p.name().toLowerCase(Locale.ROOT)).reduce((x, y) -> x + "," + y).orElse(""));
        }
      }
      return 0;
    }
  }
}
