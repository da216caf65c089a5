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
 */
public record User(String name, Path home, Set<Permission> permissions, boolean anonymous) {

  /** Copies the permissions. */
  public User {
    permissions = Set.copyOf(permissions);
  }

  /** Whether the user has this permission. */
  public boolean may(Permission permission) {
    return permissions.contains(permission);
  }
}
