package dev.keyhole.ftp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real clients and servers interoperability tests run (curl, lftp, python3, vsftpd). On CI
 * ({@code CI} set) a missing one fails the test, since {@code .ci/run} installs them; elsewhere
 * the test is skipped.
 */
public final class ExternalTool {

  /** What a command printed (standard output and error together) and how it ended. */
  public record Result(int exit, String output) {}

  private ExternalTool() {}

  /** The tool's path, from PATH or /usr/sbin and /usr/bin. */
  public static Path require(String tool) {
    var dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
    var found = dirs.stream().map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    if (System.getenv("CI") != null) {
      assertThat(found).as(tool + " is installed by .ci/run").isPresent();
    }
    assumeTrue(found.isPresent(), tool + " is not installed");
    return found.get();
  }

  /** Runs a command in {@code directory}, with nothing on its input, for at most 60 seconds. */
  public static Result run(Path directory, List<String> command) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile()).start();
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
