package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.client.FtpClientException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import reactor.core.Exceptions;
import reactor.netty.ChannelBindException;

/** {@code keyhole}: the command-line entry point; each subcommand is its own class. */
@Command(
    name = "keyhole",
    mixinStandardHelpOptions = true,
    version = "keyhole 0.1.0",
    description = "Keyhole: a reactive FTP server.",
    subcommands = {ServeCommand.class, CheckConfigCommand.class, PasswdCommand.class, UsersCommand.class, FtpClientCommand.class, CommandLine.HelpCommand.class})
public final class KeyholeCli {

  private KeyholeCli() {}

  /**
   * One line for a failure the user can act on, without Java class names: what went wrong and,
   * where there is one, what to do.
   */
  public static String describe(Throwable error) {
    Throwable e = Exceptions.unwrap(error);
    var bind = cause(e, ChannelBindException.class);
    if (bind != null) {
      return "cannot listen on " + bind.localHost() + ":" + bind.localPort() + ": " + bindReason(bind);
    }
    String message = firstLine(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    if (e instanceof FtpClientException) {
      if (cause(e, CertPathValidatorException.class) != null || cause(e, CertPathBuilderException.class) != null
          || String.valueOf(rootCause(e).getMessage()).contains("PKIX")) {
        return message + ": the server's certificate is not trusted (give it with --tls-ca FILE, or -k to skip the check)";
      }
      Throwable root = rootCause(e);
      return root == e || root.getMessage() == null ? message : message + " (" + firstLine(root.getMessage()) + ")";
    }
    if (e instanceof NoSuchFileException) {
      return message + ": no such file";
    }
    if (e instanceof AccessDeniedException) {
      return message + ": permission denied";
    }
    return message;
  }

  private static String bindReason(ChannelBindException bind) {
    String text = String.valueOf(rootCause(bind).getMessage()).toLowerCase(Locale.ROOT);
    if (text.contains("in use")) {
      return "the address is already in use (another server on that port?)";
    }
    if (text.contains("assign") || text.contains("not available")) {
      return "no interface of this machine has that address";
    }
    if (text.contains("permission") || text.contains("denied")) {
      return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
    }
    return firstLine(rootCause(bind).getMessage() != null ? rootCause(bind).getMessage() : "bind failed");
  }

  private static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).strip();
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
        .setUsageHelpAutoWidth(true)
        .setParameterExceptionHandler((e, args) -> {
          // a mistyped option: one line and where to look, not the whole usage text
          var cmd = e.getCommandLine();
          cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + firstLine(e.getMessage())
              + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
          return 2;
        })
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // configuration mistakes are the user's to fix: a sentence, not a stack trace
          cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
          return 1;
        });
  }
}
