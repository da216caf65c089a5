package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ReplyBlock;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Locale;

/** The replies the ALG writes or rewrites itself: FEAT lists, passive replies, refusals. */
final class AlgReplies {

  private AlgReplies() {}

  /** A FEAT reply with these feature lines added where missing. */
  static ReplyBlock withFeatures(ReplyBlock reply, String... features) {
    if (reply.code() != 211 || reply.lines().size() < 2) {
      return reply;
    }
    var lines = new ArrayList<>(reply.lines());
    for (String feature : features) {
      if (lines.stream().noneMatch(l -> l.trim().equalsIgnoreCase(feature.trim()))) {
        lines.add(lines.size() - 1, feature);
      }
    }
    return ReplyBlock.ofLines(211, lines);
  }

  /** A FEAT reply without these features' lines. */
  static ReplyBlock withoutFeatures(ReplyBlock reply, String... features) {
    if (reply.code() != 211 || reply.lines().size() < 2) {
      return reply;
    }
    var lines = new ArrayList<>(reply.lines());
    for (String feature : features) {
      lines.removeIf(l -> l.trim().toUpperCase(Locale.ROOT).equals(feature)
          || l.trim().toUpperCase(Locale.ROOT).startsWith(feature + " "));
    }
    return ReplyBlock.ofLines(211, lines);
  }

  static ReplyBlock epsv(int port) {
    return ReplyBlock.of(229, AddressFormats.formatEpsvReply(port));
  }

  static ReplyBlock pasv(Inet4Address address, int port) {
    return ReplyBlock.of(227, "Entering Passive Mode (" + AddressFormats.formatHostPort(address, port) + ")");
  }

  static ReplyBlock cantOpen() {
    return ReplyBlock.of(425, "Can't open data connection.");
  }

  static ReplyBlock illegalActive(String verb) {
    return ReplyBlock.of(500, "Illegal " + verb + " command: only your own address and ports from 1024.");
  }

  static ReplyBlock epsvAllRefused() {
    return ReplyBlock.of(504, "Command not implemented for that parameter.");
  }

  static ReplyBlock networkNotSupported(int family) {
    return ReplyBlock.of(522, "Network protocol not supported, use (" + family + ")");
  }

  static ReplyBlock pasvIsForV4() {
    return ReplyBlock.of(500, "PASV is for IPv4; use EPSV.");
  }
}
