package dev.keyhole.ftp.transport;

import java.io.IOException;

/**
 * A data connection could not be opened, or broke: answered 425 or 426. It carries no stack trace
 * of its own (its message says what happened, a cause keeps its trace): one is made for every
 * download, whose connection the server closes before the client's end arrives, and filling in a
 * stack each time cost CPU and memory for nothing.
 */
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

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
