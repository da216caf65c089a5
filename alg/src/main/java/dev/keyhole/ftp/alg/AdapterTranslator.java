package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ReplyBlock;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Single-port adapter: the client's PASV, EPSV, PORT and EPRT become SPSV toward a single-port
 * server; the ALG opens the SPDT connection and relays it to the client's data connection.
 */
final class AdapterTranslator implements Translator {

  private final ControlRelay relay;
  private final DataMappings mappings;

  AdapterTranslator(ControlRelay relay, DataMappings mappings) {
    this.relay = relay;
    this.mappings = mappings;
  }

  @Override
  public Mono<Void> command(ControlLine line, String verb) {
    var endpoints = relay.endpoints();
    boolean v4 = endpoints.clientIsV4();
    return switch (verb) {
      case "PASV" -> {
        if (!v4) {
          yield relay.local(AlgReplies.pasvIsForV4());
        }
        relay.translated("pasv-to-spsv");
        yield relay.forward(ControlLine.of("SPSV"),
            reply -> passive(reply, port -> AlgReplies.pasv(endpoints.clientLocalV4(), port)));
      }
      case "EPSV" -> {
        String arg = Translator.epsvArgument(line);
        if (arg.equals("ALL")) {
          yield relay.local(ReplyBlock.of(200, "EPSV ALL command successful."));
        }
        if (!arg.isEmpty() && !arg.equals(v4 ? "1" : "2")) {
          yield relay.local(AlgReplies.networkNotSupported(v4 ? 1 : 2));
        }
        relay.translated("epsv-to-spsv");
        yield relay.forward(ControlLine.of("SPSV"), reply -> passive(reply, AlgReplies::epsv));
      }
      case "PORT" -> active(line, 0);
      case "EPRT" -> active(line, v4 ? 1 : 2);
      case "FEAT" -> relay.forward(line, reply -> Mono.just(Optional.of(AlgReplies.withFeatures(reply, " EPSV", " EPRT"))));
      default -> relay.forward(line, ReplyAction.PASS);
    };
  }

  /** The server's SPSV reply for the client's PASV or EPSV: a listener for the client, an SPDT connection upstream. */
  private Mono<Optional<ReplyBlock>> passive(ReplyBlock reply, Function<Integer, ReplyBlock> toClient) {
    if (reply.code() != 227) {
      return Mono.just(Optional.of(reply));
    }
    var identifier = DataMappings.spsvIdentifier(reply);
    if (identifier.isEmpty()) {
      mappings.unreadable();
      return Mono.just(Optional.of(AlgReplies.cantOpen()));
    }
    return mappings.listenForClient(loop -> mappings.spdtToUpstream(identifier.get(), loop), toClient);
  }

  /**
   * PORT or EPRT: SPSV upstream; the ALG then holds both ends, the SPDT connection and its own
   * connection to the client's address, and relays.
   */
  private Mono<Void> active(ControlLine line, int family) {
    var address = mappings.activeAddress(line.argument(), family);
    if (address.isEmpty()) {
      return relay.local(AlgReplies.illegalActive(line.verb()));
    }
    relay.translated(family == 0 ? "port-to-spsv" : "eprt-to-spsv");
    return relay.forward(ControlLine.of("SPSV"), reply -> {
      if (reply.code() != 227) {
        return Mono.just(Optional.of(reply));
      }
      var identifier = DataMappings.spsvIdentifier(reply);
      if (identifier.isEmpty()) {
        mappings.unreadable();
        return Mono.just(Optional.of(AlgReplies.cantOpen()));
      }
      mappings.singlePortActive(identifier.get(), address.get());
      return Mono.just(Optional.of(ReplyBlock.of(200, line.verb() + " command successful.")));
    });
  }
}
