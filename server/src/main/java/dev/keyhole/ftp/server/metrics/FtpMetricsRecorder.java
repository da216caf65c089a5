package dev.keyhole.ftp.server.metrics;

import java.time.Duration;

/**
 * Where the server reports what it does. {@link MicrometerFtpMetricsRecorder} turns the calls into
 * the meters listed in {@link FtpMeters}; embedders may supply their own. Calls come from event
 * loops and must not block.
 */
public interface FtpMetricsRecorder {

  /** Records nothing. */
  FtpMetricsRecorder NOOP = new FtpMetricsRecorder() {};

  /** What a transfer moved. */
  enum Direction {
    /** A file to the client. */
    DOWNLOAD,
    /** A file from the client. */
    UPLOAD,
    /** A directory listing (LIST, NLST, MLSD). */
    LISTING
  }

  /** A control session was accepted. */
  default void sessionOpened() {}

  /** A control session ended after {@code duration}. */
  default void sessionClosed(Duration duration) {}

  /** A connection refused at the greeting, with the reason ({@code max-sessions}, {@code max-per-ip}). */
  default void sessionRejected(String reason) {}

  /** A command answered: its verb (only known verbs: unknown ones come as {@code OTHER}) and final reply. */
  default void commandCompleted(String verb, int replyCode, Duration duration) {}

  /** A ban started: {@code kind} is {@code address} or {@code account}. */
  default void banStarted(String kind) {}

  /** An upload was refused for a quota: {@code limit} is {@code bytes} or {@code files}. */
  default void quotaRefused(String limit) {}

  /** A transfer that a bandwidth limit paced moved {@code bytes}. */
  default void throttled(Direction direction, long bytes) {}

  /**
   * An SPDT connection relayed to the cluster node that issued its identifier ended: {@code
   * outcome} is {@code complete}, {@code failed} or {@code unreachable}; {@code bytes} both ways.
   */
  default void spdtRelayed(String outcome, long bytes) {}

  /**
   * A login on virtual host {@code host} ({@code default} for the default host) succeeded or
   * failed. The host is one of the configured names, so the tag values stay bounded.
   */
  default void login(String host, boolean success) {}

  /** A transfer of a session on virtual host {@code host} ended: {@link #transferCompleted} by default, without the host. */
  default void transferCompleted(String host, Direction direction, boolean success, long bytes, Duration duration) {
    transferCompleted(direction, success, bytes, duration);
  }

  /** A transfer ended, whole or not, having moved {@code bytes}. */
  default void transferCompleted(Direction direction, boolean success, long bytes, Duration duration) {}
}
