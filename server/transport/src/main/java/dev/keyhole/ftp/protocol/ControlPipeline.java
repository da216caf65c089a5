package dev.keyhole.ftp.protocol;

/**
 * The names of a control connection's handlers, in one place, as Reactor Netty's {@code
 * NettyPipeline} names its own: the listener installs them, and SPDT (which turns a control
 * connection into a data connection) and CCC (which takes TLS away) find them by these names.
 */
public final class ControlPipeline {

  /** The {@link FtpCommandDecoder}. */
  public static final String COMMAND_DECODER = "keyhole.commandDecoder";

  /** The {@link FtpReplyEncoder}. */
  public static final String REPLY_ENCODER = "keyhole.replyEncoder";

  private ControlPipeline() {}
}
