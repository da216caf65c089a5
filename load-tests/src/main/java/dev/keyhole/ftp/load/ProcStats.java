package dev.keyhole.ftp.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** CPU time and peak memory of a process, read from Linux's /proc. */
final class ProcStats {

  /** Clock ticks per second of /proc/PID/stat's times: 100 on every Linux we run on. */
  private static final double TICKS = 100.0;

  private ProcStats() {}

  /** User and system CPU seconds of a process, and of its finished children when asked. */
  static double cpuSeconds(long pid, boolean withFinishedChildren) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name may contain spaces: fields are counted after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withFinishedChildren) {
        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return ticks / TICKS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static Optional<Long> peakRss(long pid) {
    return status(pid, "VmHWM:");
  }

  /**
   * The process's proportional set size: its resident memory with each shared page divided among
   * the processes that share it, so that summing over vsftpd's or pure-ftpd's thousands of forked
   * sessions does not count their shared libraries thousands of times. Resident size where the
   * kernel has no smaps_rollup.
   */
  static Optional<Long> memory(long pid) {
    return field(Path.of("/proc/" + pid + "/smaps_rollup"), "Pss:").or(() -> status(pid, "VmRSS:"));
  }

  private static Optional<Long> status(long pid, String field) {
    return field(Path.of("/proc/" + pid + "/status"), field);
  }

  private static Optional<Long> field(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field)) {
          return Optional.of(Long.parseLong(line.replaceAll("\\D+", "")) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return Optional.empty();
  }
}
