package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.ReplyBlock;
import dev.keyhole.ftp.transport.DataChannelSetup;
import dev.keyhole.ftp.transport.DataConnection;
import dev.keyhole.ftp.transport.DataRelay;
import dev.keyhole.ftp.transport.SpdtBinding;
import dev.keyhole.ftp.transport.SpdtHandshake;
import io.netty.channel.EventLoop;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One session's data mappings: at most one pending at a time (a listener, an SPSV identifier, or
 * an SPDT connection made for PORT), each relaying one data connection between the client's side
 * and the server's. The relay's outcome decides what the session makes of the server's final
 * reply. State is touched on the session's event loop; the relay counter from any thread.
 */
final class DataMappings {

  private static final Logger log = LoggerFactory.getLogger(DataMappings.class);

  /** How a data mapping's relay ended. */
  enum RelayOutcome {
    /** Everything the sender sent reached the receiver. */
    COMPLETE,
    /** The second connection could not be made: nothing was relayed, the first was reset. */
    NO_CONNECTION,
    /** The relay failed midway; both connections were reset. */
    FAILED
  }

  private final AlgContext context;
  private final long id;
  private final Endpoints endpoints;
  private final EventLoop loop;
  private final AtomicInteger relays = new AtomicInteger();
  /** How the latest mapping's relay ended, once it has (empty where no mapping was made). */
  private Mono<RelayOutcome> relayDone = Mono.empty();
  /** Resets both connections of the relay that runs, if one does. */
  private @Nullable Runnable relayReset;
  /** Closes the pending mapping. */
  private @Nullable Runnable mapping;

  DataMappings(AlgContext context, long id, Endpoints endpoints, EventLoop loop) {
    this.context = context;
    this.id = id;
    this.endpoints = endpoints;
    this.loop = loop;
  }

  /** Whether a relay runs: it keeps the control connection open (RFC 6384 section 12). */
  boolean relaying() {
    return relays.get() > 0;
  }

  /** How the latest mapping's relay ended, once it has; empty where there was none. */
  Mono<RelayOutcome> relayDone() {
    return relayDone;
  }

  /**
   * The transfer failed on the server: the client needs no more of its data, and a relay whose
   * reading is paused behind a client that waits for the reply would not even see the server's reset.
   */
  void resetRelay() {
    if (relayReset != null) {
      relayReset.run();
    }
  }

  /**
   * A passive reply from the server: the ALG listens on the address the client reached it at (so
   * all of a session's mappings share its control connection's address, as the draft requires),
   * accepts one connection from the client, connects on to the server's port and relays.
   */
  Mono<Optional<ReplyBlock>> passive(ReplyBlock reply, Function<Integer, ReplyBlock> toClient) {
    if (reply.code() != 227 && reply.code() != 229) {
      return Mono.just(Optional.of(reply));
    }
    var target = passiveTarget(reply);
    if (target.isEmpty()) {
      return Mono.just(Optional.of(AlgReplies.cantOpen()));
    }
    return listenForClient(l -> connectOn(l, target.get(), endpoints.upstreamLocal()), toClient);
  }

  /**
   * A passive mapping toward the client: a listener on the address the client reached the ALG at
   * that takes one connection from the client and relays it to what {@code upstreamSide} connects;
   * the client's reply names the listener's port, or is 425 when no port could be had.
   */
  Mono<Optional<ReplyBlock>> listenForClient(Function<EventLoop, Mono<DataConnection>> upstreamSide,
      Function<Integer, ReplyBlock> toClient) {
    return context.dataChannels()
        .openPassive(endpoints.clientLocal().getAddress(), endpoints.clientRemote().getAddress(), loop)
        .map(listener -> {
          replace(listener);
          relayWhenConnected(listener.connection(), upstreamSide);
          return Optional.of(toClient.apply(listener.port()));
        })
        .onErrorResume(e -> {
          log.info("ALG session {}: no mapping: {}", id, e.toString());
          context.config().metrics().mappingFailed("no-port");
          return Mono.just(Optional.of(AlgReplies.cantOpen()));
        });
  }

  /**
   * An active mapping toward the server: a listener on the ALG's address toward the server; once
   * the server has connected, the ALG connects on to {@code client} and relays. Gives the
   * listener's port, for the PORT or EPRT the server gets; fails when no port could be had.
   */
  Mono<Integer> listenForServer(InetSocketAddress client) {
    return context.dataChannels()
        .openPassive(endpoints.upstreamLocal().getAddress(), endpoints.upstreamRemote().getAddress(), loop)
        .map(listener -> {
          replace(listener);
          relayWhenConnected(listener.connection(), l -> connectOn(l, client, endpoints.clientLocal()));
          return listener.port();
        })
        .doOnError(e -> {
          log.info("ALG session {}: no mapping: {}", id, e.toString());
          context.config().metrics().mappingFailed("no-port");
        });
  }

  /**
   * SPSV for the client in front of a server's passive reply: an identifier that leads to the one
   * upstream port obtained for it, never anywhere else.
   */
  ReplyBlock singlePort(ReplyBlock reply) {
    var target = passiveTarget(reply);
    if (target.isEmpty()) {
      return AlgReplies.cantOpen();
    }
    Optional<SpdtBinding> binding = context.spdt().issue(id, endpoints.clientRemote().getAddress(), false,
        context.dataChannels().timer(loop));
    if (binding.isEmpty()) {
      return ReplyBlock.of(425, "Too many pending SPSV data connections, try again later.");
    }
    replace(binding.get());
    relayWhenConnected(binding.get().connection(), l -> connectOn(l, target.get(), endpoints.upstreamLocal()));
    return ReplyBlock.of(227, "Entering Single Port Passive Mode (" + binding.get().identifier() + ")");
  }

  /**
   * PORT or EPRT toward a single-port server, once its SPSV reply named an identifier: the ALG
   * holds both ends, its SPDT connection to the server and its own connection to {@code client}.
   */
  void singlePortActive(String identifier, InetSocketAddress client) {
    var upstreamSide = spdtToUpstream(identifier, loop).cache();
    replace(() -> upstreamSide.subscribe(DataConnection::dispose, e -> { }));
    relayWhenConnected(upstreamSide, l -> connectOn(l, client, endpoints.clientLocal()));
  }

  /** A data connection to the single-port server for this identifier: greeting, SPDT, 200 DATA. */
  Mono<DataConnection> spdtToUpstream(String identifier, EventLoop on) {
    var handshake = Sinks.<Void>empty();
    return context.dataChannels().active(endpoints.upstreamRemote(), endpoints.upstreamLocal().getAddress())
        .connectionOn(on, channel -> channel.pipeline().addFirst(SpdtHandshake.NAME, new SpdtHandshake(identifier, handshake)))
        .flatMap(data -> handshake.asMono().timeout(context.config().get(AlgOptions.MAPPING_TIMEOUT)).thenReturn(data)
            .doOnError(e -> data.dispose()));
  }

  /**
   * The address of a PORT or EPRT argument, if it is well-formed, of the expected family (1 or 2;
   * 0 for PORT, -1 for EPRT of either family), the client's own and a port from 1024 (RFC 2577);
   * empty otherwise, logged and counted.
   */
  Optional<InetSocketAddress> activeAddress(String argument, int family) {
    Optional<InetSocketAddress> target = family == 0
        ? AddressFormats.parseHostPort(argument)
        : switch (AddressFormats.parseEprt(argument)) {
          case AddressFormats.EprtArgument.Address a -> Optional.of(a.address());
          default -> Optional.empty();
        };
    var client = endpoints.clientRemote();
    if (target.isEmpty() || (family > 0 && (family == 2) != (target.get().getAddress() instanceof Inet6Address))
        || !target.get().getAddress().equals(client.getAddress()) || target.get().getPort() < 1024) {
      log.warn("ALG session {}: refused active data address '{}' of client {}", id, argument, AddressFormats.hostPort(client));
      context.config().metrics().translated("refused");
      return Optional.empty();
    }
    return target;
  }

  /** The identifier of a single-port server's SPSV reply, or empty. */
  static Optional<String> spsvIdentifier(ReplyBlock reply) {
    String text = reply.text();
    int open = text.lastIndexOf('(');
    int close = text.lastIndexOf(')');
    if (reply.code() != 227 || open < 0 || close < open + 2) {
      return Optional.empty();
    }
    String identifier = text.substring(open + 1, close);
    return identifier.chars().allMatch(c -> c > 32 && c < 127) ? Optional.of(identifier) : Optional.empty();
  }

  /** Counts a server reply the ALG could not read a data address from. */
  void unreadable() {
    context.config().metrics().mappingFailed("unreadable-reply");
  }

  /** Closes the pending mapping, if any. */
  void close() {
    if (mapping != null) {
      mapping.run();
    }
  }

  /**
   * Where the server waits for the data connection, from its 227 or 229 reply: its own address
   * (whatever a 227 names) and the port; empty when the reply cannot be read.
   */
  private Optional<InetSocketAddress> passiveTarget(ReplyBlock reply) {
    var server = endpoints.upstreamRemote().getAddress();
    var port = PassiveReply.port(reply, server, context.config().get(AlgOptions.STRICT_PASV_ADDRESS))
        // no server listens for data below 1024: such a "reply" came from a file name, not the server
        .filter(p -> p >= 1024);
    if (port.isEmpty()) {
      log.info("ALG session {}: unusable passive reply from the server: {}", id, reply);
      unreadable();
    }
    return port.map(p -> new InetSocketAddress(server, p));
  }

  /**
   * Once the first side's connection has arrived, the second is connected on the same event loop
   * (so that the relay can splice between them) and the two are relayed.
   */
  private void relayWhenConnected(Mono<DataConnection> first, Function<EventLoop, Mono<DataConnection>> second) {
    var done = Sinks.<RelayOutcome>one();
    relayDone = done.asMono();
    var outcome = new AtomicReference<RelayOutcome>();
    first.flatMap(a -> second.apply(a.channel().eventLoop())
            // reset, not closed: a server that took a clean end for the end of an upload would
            // replace the file with nothing and answer 226
            .doOnError(e -> {
              outcome.set(RelayOutcome.NO_CONNECTION);
              a.abort();
            })
            .flatMap(b -> {
              relays.incrementAndGet();
              Runnable reset = () -> {
                a.abort();
                b.abort();
              };
              relayReset = reset;
              return DataRelay.relay(a, b, context.config().get(AlgOptions.IDLE_TIMEOUT), !context.config().get(AlgOptions.NO_SPLICE))
                  .doFinally(s -> {
                    relays.decrementAndGet();
                    onLoop(() -> {
                      if (relayReset == reset) {
                        relayReset = null;
                      }
                    });
                  });
            }))
        .doFinally(s -> {
          if (outcome.get() != null) {
            done.tryEmitValue(outcome.get());
          } else {
            done.tryEmitEmpty();
          }
        })
        .subscribe(relayed -> {
              outcome.set(relayed.complete() ? RelayOutcome.COMPLETE : RelayOutcome.FAILED);
              log.debug("ALG session {}: relayed {} bytes ({})", id, relayed.bytes(), relayed.method());
              context.config().metrics().relayed(relayed.bytes(), relayed.method());
            },
            e -> {
              log.info("ALG session {}: data mapping ended: {}", id, e.toString());
              context.config().metrics().mappingFailed("no-connection");
            });
  }

  /** A data connection from {@code local}'s address to {@code target}, on the given loop. */
  private Mono<DataConnection> connectOn(EventLoop on, InetSocketAddress target, InetSocketAddress local) {
    return context.dataChannels().active(target, local.getAddress()).connectionOn(on, channel -> { });
  }

  private void replace(DataChannelSetup next) {
    replace(next::close);
  }

  /** The new mapping replaces the pending one, which is closed. */
  private void replace(Runnable closer) {
    var previous = mapping;
    mapping = closer;
    if (previous != null) {
      previous.run();
    }
  }

  /** Runs {@code task} on the session's event loop, unless the loops are already shut down. */
  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("ALG session {}: event loop gone, {} not run", id, task);
    }
  }
}
