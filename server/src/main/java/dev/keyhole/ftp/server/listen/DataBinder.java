package dev.keyhole.ftp.server.listen;

/**
 * Turns a new connection that sent {@code SPDT <identifier>} into the data connection of the
 * session that issued the identifier, or refuses it with 504 and closes it. The listener
 * implements it: the decision what a connection is stays in one place.
 */
@FunctionalInterface
public interface DataBinder {

  /** Called on the connection's event loop with the identifier the client sent. */
  void bind(ControlLoop connection, String identifier);
}
