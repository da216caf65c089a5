package dev.keyhole.ftp.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP, as {@code systemctl reload} and logrotate send it: the server goes on serving (the JVM
 * would otherwise stop on it) and reopens its log files.
 */
final class Hangup {

  private static final Logger log = LoggerFactory.getLogger(Hangup.class);

  private Hangup() {}

  /** Runs {@code reopen} on each SIGHUP from now on; where the platform has no SIGHUP, nothing. */
  static void install(Runnable reopen) {
    try {
      Signal.handle(new Signal("HUP"), signal -> reopen.run());
    } catch (IllegalArgumentException e) {
      log.debug("no SIGHUP here: {}", e.getMessage());
    }
  }
}
