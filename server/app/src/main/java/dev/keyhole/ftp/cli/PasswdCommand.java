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
    var console = System.console();
    if (console != null && isTerminal(console)) {
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Again: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        System.err.println("keyhole passwd: the passwords differ");
        return 1;
      }
      password = new String(first);
    } else {
      var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) {
        System.err.println("keyhole passwd: no password on standard input");
        return 1;
      }
      password = line;
    }
    if (password.isEmpty()) {
      System.err.println("keyhole passwd: the password is empty");
      return 1;
    }
    System.out.println(PasswordHash.hash(password, cost));
    return 0;
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
