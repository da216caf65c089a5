package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.server.auth.Permission;
import java.util.Optional;

/**
 * One row of the command table: what a verb needs before its handler runs.
 *
 * @param verb the verb, upper case
 * @param login whether the verb needs a logged-in session
 * @param argument whether the verb takes an argument
 * @param permission the permission the user needs, if any
 * @param handler the handler
 * @param syntax the argument syntax shown by HELP
 */
public record CommandSpec(String verb, Login login, Argument argument, Optional<Permission> permission,
    CommandHandler handler, String syntax) {

  /** Whether a command may run before login. */
  public enum Login { ANY, REQUIRED }

  /** The argument policy, checked before dispatch: a violation is answered 501. */
  public enum Argument { NONE, REQUIRED, OPTIONAL }
}
