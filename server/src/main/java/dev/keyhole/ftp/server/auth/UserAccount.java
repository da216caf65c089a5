package dev.keyhole.ftp.server.auth;

import java.nio.file.Path;
import java.util.Set;

/**
 * A configured user: name, password, home and permissions.
 *
 * @param name login name
 * @param password the stored password
 * @param home the user's root directory
 * @param permissions what the user may do
 * @param limits the user's own rates and quota, over the server's
 */
public record UserAccount(String name, PasswordHash password, Path home, Set<Permission> permissions,
    UserLimits limits) {

  /** Copies the permissions. */
  public UserAccount {
    permissions = Set.copyOf(permissions);
  }

  /** An account with the server's limits. */
  public UserAccount(String name, PasswordHash password, Path home, Set<Permission> permissions) {
    this(name, password, home, permissions, UserLimits.SERVER_DEFAULTS);
  }
}
