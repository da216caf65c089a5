package dev.keyhole.ftp.transport;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The ways a data connection can be set up; {@code --data-channels} chooses which are offered. */
public enum DataChannelKind {
  /** Single-port passive mode (draft-rosenau-ftp-single-port): the data connection comes to the control port. */
  SPSV,
  /** Extended passive mode (RFC 2428). */
  EPSV,
  /** Passive mode (RFC 959). */
  PASV,
  /** Active mode (RFC 959). */
  PORT,
  /** Extended active mode (RFC 2428). */
  EPRT;

  /** The verb that sets up this kind, as it appears in the command table. */
  public String verb() {
    return name();
  }

  /** Parses a comma-separated list such as {@code spsv,epsv}. */
  public static Set<DataChannelKind> parse(String text) {
    var set = EnumSet.noneOf(DataChannelKind.class);
    for (String part : text.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        set.add(valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown data channel '" + part.trim() + "' (use spsv, epsv, pasv, port, eprt)");
      }
    }
    if (set.isEmpty()) {
      throw new IllegalArgumentException("at least one data channel kind is needed");
    }
    return set;
  }
}
