package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ReplyBlock;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Reads the port out of a server's passive reply, whatever its form: a 227 with or without
 * parentheses, {@code =h1,h2,...}, on any line of a multi-line reply; a 229 with any delimiter.
 */
final class PassiveReply {

  private PassiveReply() {}

  /**
   * The port, or empty when the reply cannot be read (the client then gets 425).
   *
   * @param server the server's address: with {@code strict}, a 227 that names another is refused
   */
  static Optional<Integer> port(ReplyBlock reply, InetAddress server, boolean strict) {
    if (reply.code() == 229) {
      return AddressFormats.parseEpsvReply(reply.text());
    }
    if (reply.code() != 227) {
      return Optional.empty();
    }
    return AddressFormats.parseHostPort(reply.text())
        .filter(address -> !strict || address.getAddress().equals(server))
        .map(address -> address.getPort())
        .filter(port -> port > 0);
  }
}
