package dev.keyhole.ftp.server.api;


import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/** What happens on the server, as published by {@code DisposableFtpServer.events()}. */
public sealed interface FtpEvent {

  /** The session's number, unique while the server runs. */
  long sessionId();

  /** A control connection was accepted and greeted. */
  record SessionOpened(long sessionId, InetSocketAddress remote) implements FtpEvent {}

  /** A user logged in. */
  record LoggedIn(long sessionId, String user) implements FtpEvent {}

  /** A login was refused. */
  record LoginFailed(long sessionId, String user, InetSocketAddress remote) implements FtpEvent {}

  /**
   * A file transfer ended, completed or not: what a transfer log (xferlog) writes.
   *
   * @param remote the client's control connection address
   * @param path the file on the server's file system
   * @param bytes the bytes that moved, whether or not the transfer completed
   * @param success whether the transfer completed (226)
   * @param ascii whether it ran in ASCII mode (TYPE A) rather than binary
   * @param anonymous whether the user is an anonymous one
   */
  record TransferCompleted(long sessionId, String user, InetSocketAddress remote, Direction direction, Path path,
      long bytes, Duration duration, boolean success, boolean ascii, boolean anonymous) implements FtpEvent {}

  /** A file (DELE) or a directory (RMD) was deleted; the path is the user's virtual one. */
  record Deleted(long sessionId, String user, String path, boolean directory) implements FtpEvent {}

  /** RNFR/RNTO renamed {@code from} to {@code to} (virtual paths). */
  record Renamed(long sessionId, String user, String from, String to) implements FtpEvent {}

  /** MKD made a directory (virtual path). */
  record DirectoryCreated(long sessionId, String user, String path) implements FtpEvent {}

  /** The control connection closed. */
  record SessionClosed(long sessionId, Duration duration) implements FtpEvent {}

  /** Which way a transfer's bytes went. */
  enum Direction {
    /** From the server to the client (RETR). */
    DOWNLOAD,
    /** From the client to the server (STOR, STOU, APPE). */
    UPLOAD
  }
}
