package dev.keyhole.ftp.server.auth;

import java.nio.file.Path;
import java.util.Set;

/**
 * A user who has logged in.
 *
 * @param name the login name
 * @param home the directory that becomes the user's root
 * @param permissions what the user may do
 * @param anonymous whether this is an anonymous (guest) login
 * @param limits the user's own rates and quota, over the server's
 */
public record User(String name, Path home, Set<Permission> permissions, boolean anonymous, UserLimits limits) {

  /** Copies the permissions. */
  public User {
    permissions = Set.copyOf(permissions);
  }

  /** A user with the server's limits. */
  public User(String name, Path home, Set<Permission> permissions, boolean anonymous) {
    this(name, home, permissions, anonymous, UserLimits.SERVER_DEFAULTS);
  }

  /** Whether the user has this permission. */
  public boolean may(Permission permission) {
    return permissions.contains(permission);
  }
}
