package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.client.FtpClientException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import reactor.core.Exceptions;

/** {@code keyhole}: the command-line entry point; each subcommand is its own class. */
@Command(
    name = "keyhole",
    mixinStandardHelpOptions = true,
    version = "keyhole 0.1.0",
    description = "Keyhole: a reactive FTP server.",
    subcommands = {ServeCommand.class, CheckConfigCommand.class, PasswdCommand.class, FtpClientCommand.class, CommandLine.HelpCommand.class})
public final class KeyholeCli {

  private KeyholeCli() {}

  private static String describe(Throwable error) {
    Throwable e = Exceptions.unwrap(error);
    String message = e.getMessage() != null ? e.getMessage() : e.toString();
    if (e instanceof FtpClientException) {
      Throwable cause = e.getCause();
      return cause == null || cause.getMessage() == null ? message : message + " (" + cause.getMessage() + ")";
    }
    if (e instanceof IOException) {
      return e.getClass().getSimpleName().replace("Exception", "") + ": " + message;
    }
    return message;
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The command line with its error handling, for {@link #main} and tests. */
  static CommandLine commandLine() {
    var commandLine = new CommandLine(new KeyholeCli());
    ServeCommand.addDeclaredOptions(commandLine.getSubcommands().get("serve").getCommandSpec());
    return commandLine
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // configuration mistakes are the user's to fix: a sentence, not a stack trace
          cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
          return 1;
        });
  }
}
