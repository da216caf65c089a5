package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ReplyBlock;
import java.util.Locale;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * RFC 6384: IPv6 clients, IPv4 server. EPSV becomes PASV and EPRT becomes PORT toward the server,
 * through the ALG's own listeners; {@code ALGS} turns the translation off and on (section 11).
 */
final class Nat64Translator implements Translator {

  private final ControlRelay relay;
  private final DataMappings mappings;
  private boolean translating = true;

  Nat64Translator(ControlRelay relay, DataMappings mappings) {
    this.relay = relay;
    this.mappings = mappings;
  }

  @Override
  public Mono<Void> command(ControlLine line, String verb) {
    if (verb.equals("SPSV") || verb.equals("SPDT")) {
      return Translator.refuseSinglePort(relay);
    }
    if (verb.equals("ALGS")) {
      relay.translated("algs");
      return relay.local(algs(line.argument().trim().toUpperCase(Locale.ROOT)));
    }
    if (verb.equals("FEAT")) {
      return relay.forward(line, reply -> Mono.just(Optional.of(AlgReplies.withoutFeatures(reply, "SPSV"))));
    }
    if (verb.equals("PORT") || (verb.equals("EPRT") && !translating)) {
      // untranslated, the address would reach the server as it is: only the client's own (RFC 2577)
      return mappings.activeAddress(line.argument(), verb.equals("PORT") ? 0 : -1).isEmpty()
          ? relay.local(AlgReplies.illegalActive(line.verb()))
          : relay.forward(line, ReplyAction.PASS);
    }
    if (!translating) {
      return relay.forward(line, ReplyAction.PASS);
    }
    if (verb.equals("EPSV")) {
      String arg = Translator.epsvArgument(line);
      if (arg.equals("ALL")) {
        return relay.local(AlgReplies.epsvAllRefused());
      }
      if (!arg.isEmpty() && !arg.equals("2")) {
        return relay.local(AlgReplies.networkNotSupported(2));
      }
      relay.translated("epsv-to-pasv");
      return relay.forward(ControlLine.of("PASV"), reply -> mappings.passive(reply, AlgReplies::epsv));
    }
    if (verb.equals("EPRT")) {
      return Translator.activeMapping(relay, mappings, "eprt-to-port", line, 2,
          port -> "PORT " + AddressFormats.formatHostPort(relay.endpoints().upstreamLocalV4(), port));
    }
    return relay.forward(line, ReplyAction.PASS);
  }

  private ReplyBlock algs(String argument) {
    return switch (argument) {
      case "STATUS64" -> status();
      case "ENABLE64" -> {
        translating = true;
        yield status();
      }
      case "DISABLE64" -> {
        translating = false;
        yield status();
      }
      default -> ReplyBlock.of(504, "ALGS takes STATUS64, ENABLE64 or DISABLE64.");
    };
  }

  private ReplyBlock status() {
    return translating
        ? ReplyBlock.of(216, "EPSVEPRT EPSV is translated to PASV and EPRT to PORT.")
        : ReplyBlock.of(216, "NONE No translation.");
  }
}
