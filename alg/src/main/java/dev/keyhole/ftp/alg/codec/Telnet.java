package dev.keyhole.ftp.alg.codec;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

/**
 * Telnet on an FTP control channel as RFC 6384 section 4 wants it of an ALG: option negotiation
 * is refused (DONT for WILL, WONT for DO, as an FTP server does, RFC 1123 4.1.2.12) and never
 * relayed; other Telnet commands (IP, DM, ...) are dropped; IAC IAC is a data byte 255.
 */
final class Telnet {

  static final int IAC = 0xFF;
  private static final int SE = 240;
  private static final int SB = 250;
  private static final int WILL = 251;
  private static final int WONT = 252;
  private static final int DO = 253;
  private static final int DONT = 254;

  private enum State { DATA, IAC, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC }

  private State state = State.DATA;
  private int verb;

  /** The data byte {@code b} stands for, or -1 when it belongs to a Telnet command. */
  int filter(ChannelHandlerContext ctx, int b) {
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
        if (verb == WILL || verb == DO) {
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
