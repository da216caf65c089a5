package dev.keyhole.ftp.server.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts live, looked up by virtual host and name: the YAML file's list, a SQL table
 * ({@link JdbcUserStore}), a directory. Lookups may block (a query, a file read): the server calls
 * them on its blocking scheduler, never on an event loop. {@link StoreAuthenticator} checks
 * passwords against it; {@link CachingUserStore} keeps answers for a while in front of a slow one.
 */
public interface UserStore extends AutoCloseable {

  /** The host name under which the default host's accounts are kept: the empty string. */
  String DEFAULT_HOST = "";

  /**
   * The account {@code name} of virtual host {@code host} ({@link #DEFAULT_HOST} for the default
   * host; host names are compared without case), if the store has it.
   */
  Optional<UserAccount> find(String host, String name) throws IOException;

  /** The accounts of a host, by name; stores that cannot list say so with {@link UnsupportedOperationException}. */
  default List<UserAccount> list(String host) throws IOException {
    throw new UnsupportedOperationException("this user store cannot list its accounts");
  }

  /** Adds the account, or replaces the one of that name on that host; read-only stores refuse. */
  default void put(String host, UserAccount account) throws IOException {
    throw new UnsupportedOperationException("this user store is read-only");
  }

  /** Removes the account; whether there was one. Read-only stores refuse. */
  default boolean delete(String host, String name) throws IOException {
    throw new UnsupportedOperationException("this user store is read-only");
  }

  /** Releases connections; nothing by default. */
  @Override
  default void close() throws IOException {}
}
