package dev.keyhole.ftp.client;

import dev.keyhole.ftp.protocol.FtpReply;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A command the server refused, with its reply, or a failure of the connection itself. */
public final class FtpClientException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient @Nullable FtpReply reply;

  /** A refusal or failure, with the reply that said so, if a reply did. */
  public FtpClientException(String message, @Nullable FtpReply reply) {
    super(reply == null ? message : message + ": " + reply.code() + " " + reply.text());
    this.reply = reply;
  }

  /** A failure caused by a connection or I/O error. */
  public FtpClientException(String message, Throwable cause) {
    super(message, cause);
    this.reply = null;
  }

  /** The server's reply, when the server refused. */
  public Optional<FtpReply> reply() {
    return Optional.ofNullable(reply);
  }
}
