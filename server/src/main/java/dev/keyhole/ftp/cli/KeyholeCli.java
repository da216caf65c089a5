package dev.keyhole.ftp.cli;

import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code keyhole}: the command-line entry point; each subcommand is its own class. */
@Command(
    name = "keyhole",
    mixinStandardHelpOptions = true,
    version = "keyhole 0.1.0",
    description = "Keyhole: a reactive FTP server.",
    subcommands = {ServeCommand.class, PasswdCommand.class, CommandLine.HelpCommand.class})
public final class KeyholeCli {

  private KeyholeCli() {}

  private static String describe(Throwable e) {
    if (e instanceof IOException && e.getMessage() != null) {
      return e.getClass().getSimpleName().replace("Exception", "") + ": " + e.getMessage();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  public static void main(String[] args) {
    int code = new CommandLine(new KeyholeCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // configuration mistakes are the user's to fix: a sentence, not a stack trace
          cmd.getErr().println("keyhole " + cmd.getCommandName() + ": " + describe(e));
          return 1;
        })
        .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
