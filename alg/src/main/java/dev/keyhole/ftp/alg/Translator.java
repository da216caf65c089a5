package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.ControlLine;
import dev.keyhole.ftp.protocol.ReplyBlock;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * What one ALG mode does with a client's commands: relay them as they came, rewrite them, or
 * answer them, through the session's {@link ControlRelay}, with data mappings from
 * {@link DataMappings}. One translator per session; it runs on the session's event loop.
 * AUTH, and SPDT on the single-port gateway, are the session's own.
 */
sealed interface Translator permits Nat64Translator, Nat46Translator, GatewayTranslator, AdapterTranslator {

  /** Handles one command; {@code verb} is its verb, upper case. */
  Mono<Void> command(ControlLine line, String verb);

  static Translator of(AlgMode mode, ControlRelay relay, DataMappings mappings) {
    return switch (mode) {
      case NAT64 -> new Nat64Translator(relay, mappings);
      case NAT46 -> new Nat46Translator(relay, mappings);
      case SPSV_GATEWAY -> new GatewayTranslator(relay, mappings);
      case SPSV_ADAPTER -> new AdapterTranslator(relay, mappings);
    };
  }

  /** The argument of EPSV, trimmed and upper case. */
  static String epsvArgument(ControlLine line) {
    return line.argument().trim().toUpperCase(Locale.ROOT);
  }

  /**
   * SPSV and SPDT through a NAT mode: not translated but refused, since relayed untouched an SPDT
   * connection to this port would be taken for a control session and its data for commands.
   */
  static Mono<Void> refuseSinglePort(ControlRelay relay) {
    relay.translated("refused");
    return relay.local(ReplyBlock.of(502, "SPSV is not offered through this gateway."));
  }

  /**
   * PORT or EPRT toward the server through a listener of the ALG, which connects on to the client
   * once the server has connected; 500 for an address that is not the client's own (RFC 2577).
   *
   * @param family 0 for PORT, 1 or 2 for the EPRT family expected
   * @param command the command for the server, given the listener's port
   */
  static Mono<Void> activeMapping(ControlRelay relay, DataMappings mappings, String kind, ControlLine line,
      int family, java.util.function.IntFunction<String> command) {
    relay.translated(kind);
    var target = mappings.activeAddress(line.argument(), family);
    if (target.isEmpty()) {
      return relay.local(AlgReplies.illegalActive(line.verb()));
    }
    return mappings.listenForServer(target.get())
        .flatMap(port -> relay.forward(ControlLine.of(command.apply(port)), ReplyAction.PASS))
        .onErrorResume(e -> relay.local(AlgReplies.cantOpen()));
  }
}
