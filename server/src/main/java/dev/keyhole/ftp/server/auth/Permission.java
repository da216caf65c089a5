package dev.keyhole.ftp.server.auth;

/** What a user may do besides listing and changing directories. */
public enum Permission {
  /** Download files (RETR), and read sizes and times. */
  READ,
  /** Upload (STOR, STOU, APPE) and set times (MFMT). */
  WRITE,
  /** Delete files (DELE) and directories (RMD). */
  DELETE,
  /** Rename (RNFR/RNTO). */
  RENAME,
  /** Create directories (MKD). */
  MKDIR
}
