package dev.keyhole.ftp.server.session;

import dev.keyhole.ftp.server.auth.User;
import dev.keyhole.ftp.server.fs.FileSystemView;

/** Where a session is in the login exchange (RFC 959 USER, PASS, REIN). */
public sealed interface LoginState {

  /** Connected, no USER yet (or after REIN). */
  record Anonymous() implements LoginState {}

  /** USER was accepted with 331; PASS is expected. */
  record UserGiven(String name) implements LoginState {}

  /** Logged in, with the user's file system. */
  record LoggedIn(User user, FileSystemView fileSystem) implements LoginState {}
}
