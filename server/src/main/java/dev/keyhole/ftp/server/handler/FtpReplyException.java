package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.protocol.FtpReply;

/** Ends a handler's work with a given reply. */
public final class FtpReplyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient FtpReply reply;

  public FtpReplyException(FtpReply reply) {
    super(reply.code() + " " + reply.text(), null, false, false);
    this.reply = reply;
  }

  public FtpReply reply() {
    return reply;
  }
}
