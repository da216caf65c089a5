package dev.keyhole.ftp.cli;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP, as {@code systemctl reload} and logrotate send it: the server goes on serving (the JVM
 * would otherwise stop on it) and reopens its log file.
 */
final class Hangup {

  private static final Logger log = LoggerFactory.getLogger(Hangup.class);

  private Hangup() {}

  /** Handles SIGHUP from now on; where the platform has no SIGHUP, nothing. */
  static void install(@Nullable LogFile logFile) {
    try {
      Signal.handle(new Signal("HUP"), signal -> {
        if (logFile != null) {
          logFile.reopen();
        } else {
          log.info("SIGHUP: no log file to reopen (logging to standard error)");
        }
      });
    } catch (IllegalArgumentException e) {
      log.debug("no SIGHUP here: {}", e.getMessage());
    }
  }
}
