package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.data.Quotas;
import dev.keyhole.ftp.transport.DataConnectionException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The text of the replies that more than one handler gives, and the one mapping of errors to replies. */
public final class Replies {

  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  public static final FtpReply SYNTAX_ERROR = FtpReply.of(500, "Syntax error, command unrecognized.");
  public static final FtpReply LINE_TOO_LONG = FtpReply.of(500, "Command line too long.");
  public static final FtpReply NOT_IMPLEMENTED = FtpReply.of(502, "Command not implemented.");
  public static final FtpReply ARGUMENT_REQUIRED = FtpReply.of(501, "Syntax error: command needs an argument.");
  public static final FtpReply NO_ARGUMENT_ALLOWED = FtpReply.of(501, "Syntax error: command does not accept arguments.");
  public static final FtpReply NOT_LOGGED_IN = FtpReply.of(530, "Please login with USER and PASS.");
  public static final FtpReply PERMISSION_DENIED = FtpReply.of(550, "Permission denied.");
  public static final FtpReply NO_SUCH_FILE = FtpReply.of(550, "No such file or directory.");
  public static final FtpReply NOT_A_PLAIN_FILE = FtpReply.of(550, "Not a plain file.");
  public static final FtpReply NOT_A_DIRECTORY = FtpReply.of(550, "Not a directory.");
  public static final FtpReply FILE_EXISTS = FtpReply.of(550, "File exists.");
  public static final FtpReply DIRECTORY_NOT_EMPTY = FtpReply.of(550, "Directory not empty.");
  public static final FtpReply NAME_NOT_ALLOWED = FtpReply.of(553, "File name not allowed.");
  public static final FtpReply NO_SPACE = FtpReply.of(452, "Insufficient storage space.");

  /** An upload beyond the user's quota (RFC 959 552: exceeded storage allocation). */
  public static final FtpReply QUOTA_EXCEEDED = FtpReply.of(552, "Requested file action aborted: exceeded storage allocation (quota).");
  public static final FtpReply LOCAL_ERROR = FtpReply.of(451, "Requested action aborted: local error in processing.");
  public static final FtpReply USE_PORT_OR_PASV = FtpReply.of(425, "Use PORT, PASV, EPRT or EPSV first.");
  public static final FtpReply CANT_OPEN_DATA = FtpReply.of(425, "Can't open data connection.");
  public static final FtpReply TRANSFER_ABORTED = FtpReply.of(426, "Connection closed; transfer aborted.");
  public static final FtpReply TRANSFER_COMPLETE = FtpReply.of(226, "Transfer complete.");
  public static final FtpReply LISTING_COMPLETE = FtpReply.of(226, "Directory send OK.");
  public static final FtpReply ABOR_OK = FtpReply.of(226, "ABOR command successful.");
  public static final FtpReply ABOR_NOTHING = FtpReply.of(225, "No transfer to ABOR.");
  public static final FtpReply EPSV_ALL_IN_EFFECT = FtpReply.of(501, "Only EPSV is allowed after EPSV ALL.");
  public static final FtpReply GOODBYE = FtpReply.of(221, "Goodbye.");
  public static final FtpReply IDLE_TIMEOUT = FtpReply.of(421, "Timeout: closing control connection.");
  public static final FtpReply LOGIN_TIMEOUT = FtpReply.of(421, "Login timeout: closing control connection.");
  public static final FtpReply SHUTTING_DOWN = FtpReply.of(421, "Service shutting down: closing control connection.");
  public static final FtpReply TOO_MANY_SESSIONS = FtpReply.of(421, "Too many users, try again later.");
  public static final FtpReply TOO_MANY_FROM_IP = FtpReply.of(421, "Too many connections from your address.");
  public static final FtpReply TOO_MANY_FAILURES = FtpReply.of(421, "Too many failed logins: closing control connection.");

  private Replies() {}

  /** {@code 257 "path" text}, with quotes in the path doubled (RFC 959 appendix II). */
  public static FtpReply path(String path, String text) {
    return FtpReply.of(257, "\"" + path.replace("\"", "\"\"") + "\" " + text);
  }

  /** The reply for an error raised by a handler: the one place that maps exceptions to replies. */
  public static FtpReply fromError(Throwable error) {
    return switch (error) {
      case FtpReplyException e -> e.reply();
      case DataConnectionException e -> CANT_OPEN_DATA;
      case Quotas.ExceededException e -> QUOTA_EXCEEDED;
      case NoSuchFileException e -> NO_SUCH_FILE;
      case AccessDeniedException e -> PERMISSION_DENIED;
      case FileAlreadyExistsException e -> FILE_EXISTS;
      case DirectoryNotEmptyException e -> DIRECTORY_NOT_EMPTY;
      case NotDirectoryException e -> NOT_A_DIRECTORY;
      case InvalidPathException e -> NAME_NOT_ALLOWED;
      case FileSystemException e when isNoSpace(e) -> NO_SPACE;
      case FileSystemException e -> {
        log.debug("file system error", e);
        yield FtpReply.of(550, "Requested action not taken: " + reason(e));
      }
      case IOException e when isNoSpace(e) -> NO_SPACE;
      case IOException e -> {
        log.debug("I/O error", e);
        yield LOCAL_ERROR;
      }
      default -> {
        log.warn("unexpected error in a command handler", error);
        yield LOCAL_ERROR;
      }
    };
  }

  private static boolean isNoSpace(IOException e) {
    String m = e.getMessage();
    return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
  }

  private static String reason(FileSystemException e) {
    String r = e.getReason();
    return r == null ? "file unavailable." : r + ".";
  }
}
