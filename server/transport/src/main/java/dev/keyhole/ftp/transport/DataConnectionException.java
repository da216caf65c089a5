package dev.keyhole.ftp.transport;

import java.io.IOException;

/** A data connection could not be opened: answered 425. */
public final class DataConnectionException extends IOException {

  private static final long serialVersionUID = 1L;

  /** A data connection that could not be had or broke, and why. */
  public DataConnectionException(String message) {
    super(message);
  }

  /** As {@link #DataConnectionException(String)}, with what caused it. */
  public DataConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
