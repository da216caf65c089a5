package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ReplyBlock;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Single-port gateway: SPSV for the client, EPSV (or PASV, for a server without EPSV) toward the
 * server. The client's own PASV, EPSV, PORT and EPRT are relayed through the gateway's ports too,
 * as the NAT modes do: the server's ports are not reachable where one port is forwarded to the
 * gateway. SPDT connections are the session's.
 */
final class GatewayTranslator implements Translator {

  private final ControlRelay relay;
  private final DataMappings mappings;
  private boolean epsvUnsupported;

  GatewayTranslator(ControlRelay relay, DataMappings mappings) {
    this.relay = relay;
    this.mappings = mappings;
  }

  @Override
  public Mono<Void> command(ControlLine line, String verb) {
    var endpoints = relay.endpoints();
    boolean v4 = endpoints.clientIsV4();
    return switch (verb) {
      case "SPSV" -> {
        relay.translated("spsv");
        yield relay.forward(passiveCommand(), this::spsvReply);
      }
      case "FEAT" -> relay.forward(line, reply -> Mono.just(Optional.of(AlgReplies.withFeatures(reply, " SPSV"))));
      case "PASV" -> {
        if (!v4) {
          yield relay.local(AlgReplies.pasvIsForV4());
        }
        relay.translated("pasv-relayed");
        yield relay.forward(ControlLine.of("PASV"),
            reply -> mappings.passive(reply, port -> AlgReplies.pasv(endpoints.clientLocalV4(), port)));
      }
      case "EPSV" -> {
        String arg = Translator.epsvArgument(line);
        if (arg.equals("ALL")) {
          yield relay.local(AlgReplies.epsvAllRefused());
        }
        if (!arg.isEmpty() && !arg.equals(v4 ? "1" : "2")) {
          yield relay.local(AlgReplies.networkNotSupported(v4 ? 1 : 2));
        }
        relay.translated("epsv-relayed");
        yield relay.forward(passiveCommand(), reply -> mappings.passive(reply, AlgReplies::epsv));
      }
      case "PORT" -> Translator.activeMapping(relay, mappings, "port-relayed", line, 0, this::activeCommandToServer);
      case "EPRT" -> Translator.activeMapping(relay, mappings, "eprt-relayed", line, v4 ? 1 : 2,
          this::activeCommandToServer);
      default -> relay.forward(line, ReplyAction.PASS);
    };
  }

  private ControlLine passiveCommand() {
    return ControlLine.of(epsvUnsupported ? "PASV" : "EPSV");
  }

  private Mono<Optional<ReplyBlock>> spsvReply(ReplyBlock reply) {
    if (reply.code() >= 500 && !epsvUnsupported) {
      // the server has no EPSV: PASV from now on, and now
      epsvUnsupported = true;
      relay.retry(ControlLine.of("PASV"), this::spsvReply);
      return Mono.just(Optional.empty());
    }
    if (reply.code() != 227 && reply.code() != 229) {
      return Mono.just(Optional.of(reply));
    }
    return Mono.just(Optional.of(mappings.singlePort(reply)));
  }

  /** The PORT (IPv4 server) or EPRT (IPv6 server) naming the ALG's listener toward the server. */
  private String activeCommandToServer(int port) {
    var local = relay.endpoints().upstreamLocal().getAddress();
    return local instanceof Inet4Address a
        ? "PORT " + AddressFormats.formatHostPort(a, port)
        : "EPRT " + AddressFormats.formatEprt(new InetSocketAddress(local, port));
  }
}
