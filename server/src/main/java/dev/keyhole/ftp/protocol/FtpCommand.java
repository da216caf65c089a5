package dev.keyhole.ftp.protocol;

import java.util.Locale;

/**
 * One command line: the verb, upper-cased, and its argument exactly as sent (empty when absent).
 *
 * @param verb the command verb in upper case, empty for a blank line
 * @param argument everything after the first space, possibly empty
 */
public record FtpCommand(String verb, String argument) implements ControlInput {

  /** Parses a line without its line terminator. */
  public static FtpCommand parse(String line) {
    int space = line.indexOf(' ');
    if (space < 0) {
      return new FtpCommand(line.trim().toUpperCase(Locale.ROOT), "");
    }
    return new FtpCommand(line.substring(0, space).toUpperCase(Locale.ROOT), line.substring(space + 1));
  }

  public boolean hasArgument() {
    return !argument.isEmpty();
  }

  /** The line as it would be sent, with the password of PASS masked, for logs. */
  public String toLogString() {
    if (verb.equals("PASS")) {
      return "PASS ****";
    }
    return argument.isEmpty() ? verb : verb + " " + argument;
  }

  /** The line as it is sent on the wire, without line terminator. */
  public String toLine() {
    return argument.isEmpty() ? verb : verb + " " + argument;
  }
}
