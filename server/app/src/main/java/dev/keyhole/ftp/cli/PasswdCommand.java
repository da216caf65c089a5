package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.server.auth.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyhole passwd}: prints a bcrypt hash for the {@code password} field of the configuration file. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
    description = "Read a password (twice on a terminal, else one line of standard input) and print its bcrypt hash.")
final class PasswdCommand implements Callable<Integer> {

  @Option(names = "--cost", description = "bcrypt cost, 4 to 31 (default: ${DEFAULT-VALUE})")
  int cost = PasswordHash.DEFAULT_COST;

  @Override
  public Integer call() throws Exception {
    if (cost < 4 || cost > 31) {
      System.err.println("keyhole passwd: --cost must be between 4 and 31");
      return 2;
    }
    String password;
    try {
      password = readPassword();
    } catch (IllegalArgumentException e) {
      System.err.println("keyhole passwd: " + e.getMessage());
      return 1;
    }
    System.out.println(PasswordHash.hash(password, cost));
    return 0;
  }

  /**
   * A new password: asked twice on a terminal, else one line of standard input (never from the
   * command line, where other users' {@code ps} would see it). {@link IllegalArgumentException}
   * for two that differ, none, or an empty one.
   */
  static String readPassword() throws java.io.IOException {
    String password;
    var console = System.console();
    if (console != null && isTerminal(console)) {
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Again: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the passwords differ");
      }
      password = new String(first);
    } else {
      var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) {
        throw new IllegalArgumentException("no password on standard input");
      }
      password = line;
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("the password is empty");
    }
    return password;
  }

  /** {@code Console.isTerminal()} exists from JDK 22; on JDK 21 a console is always a terminal. */
  private static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
