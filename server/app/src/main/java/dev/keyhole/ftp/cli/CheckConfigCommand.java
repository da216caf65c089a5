package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.tls.TlsCertificate;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keyhole check-config FILE}: reads and checks a configuration file exactly as
 * {@code keyhole serve --config FILE} would, without binding anything, and prints what it would
 * serve. A mistake is one line naming the file and what is wrong, and exit code 1.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = "Check a YAML configuration file as 'serve --config FILE' reads it, bind nothing, and print "
        + "what it would serve.")
final class CheckConfigCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "the configuration file")
  Path file;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var configured = new ServeCommand().configure(ServeCommand.readConfig(file));
    var out = spec.commandLine().getOut();
    var config = configured.server().configuration();
    out.println(file + ": OK");
    for (InetSocketAddress address : configured.addresses()) {
      out.println("  listen:    " + host(address) + ":" + address.getPort());
    }
    out.println("  root:      " + configured.rootDir()
        + (Files.isDirectory(configured.rootDir()) ? "" : " (does not exist yet: serve makes it)"));
    out.println("  users:     " + (configured.generatedPassword() != null
        ? "none configured: serve makes 'keyhole' with a random password"
        : String.join(", ", configured.users())) + (configured.anonymous() ? ", anonymous (read-only)" : ""));
    config.tls().ifPresent(tls -> {
      out.println("  tls:       " + (tls.explicit() ? "AUTH TLS" : "implicit only")
          + (tls.implicitAddresses().isEmpty() ? "" : ", implicit on port " + tls.implicitAddresses().get(0).getPort())
          + (tls.requireTls() ? ", required" : "")
          + (tls.certificate() instanceof TlsCertificate.PemFiles pem ? ", certificate " + pem.certificateChain()
              : ", self-signed certificate"));
    });
    if (configured.logFile() != null) {
      out.println("  log file:  " + configured.logFile());
    }
    if (configured.metricsPort() != null) {
      out.println("  metrics:   port " + configured.metricsPort());
    }
    for (ConfigOption<?> option : ServerOptions.ALL) {
      print(out, config, option);
    }
    out.flush();
    return 0;
  }

  private static <T> void print(PrintWriter out, dev.keyhole.ftp.server.api.FtpServerConfig config, ConfigOption<T> option) {
    config.find(option).ifPresent(value -> {
      if (option.defaultValue().map(d -> !d.equals(value)).orElse(true)) {
        out.println("  " + option.yamlKey() + ": " + option.format(value));
      }
    });
  }

  private static String host(InetSocketAddress address) {
    String host = AddressFormats.toText(address.getAddress());
    return address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host;
  }
}
