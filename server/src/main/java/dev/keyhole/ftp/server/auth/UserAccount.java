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
 */
public record UserAccount(String name, PasswordHash password, Path home, Set<Permission> permissions) {

  /** Copies the permissions. */
  public UserAccount {
    permissions = Set.copyOf(permissions);
  }
}
