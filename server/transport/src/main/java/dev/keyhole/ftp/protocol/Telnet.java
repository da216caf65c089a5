package dev.keyhole.ftp.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

/**
 * The Telnet layer of an FTP control channel: other Telnet commands (IP and DM before ABOR, ...)
 * and option negotiation are taken out of the data, IAC IAC is a data byte 255. Negotiation is
 * either answered with a refusal (DONT for WILL, WONT for DO: RFC 1123 4.1.2.12, and what RFC 6384
 * section 4 asks of an ALG, which must not relay it) or dropped without an answer.
 */
public final class Telnet {

  private static final int IAC = 0xFF;
  private static final int SE = 240;
  private static final int SB = 250;
  private static final int WILL = 251;
  private static final int WONT = 252;
  private static final int DO = 253;
  private static final int DONT = 254;

  private enum State { DATA, IAC, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC }

  private final boolean refuse;
  private State state = State.DATA;
  private int verb;

  /** @param refuse answer WILL with DONT and DO with WONT; otherwise negotiation is dropped unanswered */
  public Telnet(boolean refuse) {
    this.refuse = refuse;
  }

  /**
   * The data byte {@code b} stands for, or -1 when it belongs to a Telnet command; refusals are
   * written to {@code ctx}.
   */
  public int filter(ChannelHandlerContext ctx, int b) {
    switch (state) {
      case DATA -> {
        if (b == IAC) {
          state = State.IAC;
          return -1;
        }
        return b;
      }
      case IAC -> {
        if (b == IAC) {
          state = State.DATA;
          return IAC;
        }
        if (b >= WILL && b <= DONT) {
          verb = b;
          state = State.OPTION;
        } else if (b == SB) {
          state = State.SUBNEGOTIATION;
        } else {
          state = State.DATA;
        }
        return -1;
      }
      case OPTION -> {
        state = State.DATA;
        if (refuse && (verb == WILL || verb == DO)) {
          ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) IAC, (byte) (verb == WILL ? DONT : WONT), (byte) b}));
        }
        return -1;
      }
      case SUBNEGOTIATION -> {
        if (b == IAC) {
          state = State.SUBNEGOTIATION_IAC;
        }
        return -1;
      }
      case SUBNEGOTIATION_IAC -> {
        state = b == SE ? State.DATA : State.SUBNEGOTIATION;
        return -1;
      }
    }
    return -1;
  }
}
