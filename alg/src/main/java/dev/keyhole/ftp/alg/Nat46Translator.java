package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ControlLine;
import java.net.InetSocketAddress;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * draft-tsou-behave-ftp46-00: IPv4 clients, IPv6 server. PASV and EPSV become {@code EPSV 2},
 * PORT and EPRT become EPRT, toward the server, through the ALG's own listeners.
 */
final class Nat46Translator implements Translator {

  private final ControlRelay relay;
  private final DataMappings mappings;

  Nat46Translator(ControlRelay relay, DataMappings mappings) {
    this.relay = relay;
    this.mappings = mappings;
  }

  @Override
  public Mono<Void> command(ControlLine line, String verb) {
    var endpoints = relay.endpoints();
    return switch (verb) {
      case "SPSV", "SPDT" -> Translator.refuseSinglePort(relay);
      case "PASV" -> {
        relay.translated("pasv-to-epsv");
        yield relay.forward(ControlLine.of("EPSV 2"),
            reply -> mappings.passive(reply, port -> AlgReplies.pasv(endpoints.clientLocalV4(), port)));
      }
      case "EPSV" -> {
        String arg = Translator.epsvArgument(line);
        if (arg.isEmpty() || arg.equals("1") || arg.equals("2")) {
          relay.translated("epsv-to-epsv");
          yield relay.forward(ControlLine.of("EPSV 2"), reply -> mappings.passive(reply, AlgReplies::epsv));
        }
        yield relay.forward(line, ReplyAction.PASS);
      }
      case "PORT" -> Translator.activeMapping(relay, mappings, "port-to-eprt", line, 0, this::eprt);
      case "EPRT" -> Translator.activeMapping(relay, mappings, "eprt-to-eprt", line, 1, this::eprt);
      case "FEAT" -> relay.forward(line, reply -> Mono.just(Optional.of(AlgReplies.withoutFeatures(reply, "SPSV"))));
      default -> relay.forward(line, ReplyAction.PASS);
    };
  }

  private String eprt(int port) {
    return "EPRT " + AddressFormats.formatEprt(new InetSocketAddress(relay.endpoints().upstreamLocal().getAddress(), port));
  }
}
