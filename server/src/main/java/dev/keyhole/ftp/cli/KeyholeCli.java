package dev.keyhole.ftp.cli;

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

  public static void main(String[] args) {
    int code = new CommandLine(new KeyholeCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
