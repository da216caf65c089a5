package dev.keyhole.ftp.server.listen;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.api.Cidr;
import dev.keyhole.ftp.server.api.ClusterPeer;
import dev.keyhole.ftp.server.api.FtpServerConfig;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.transport.SpdtRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Who may send a PROXY protocol header, and which node of the cluster issued an SPSV identifier.
 * Made from the configuration ({@code --proxy-protocol}, {@code --trusted-proxies}, {@code
 * --node-id}, {@code --cluster-peer}) and made again when a reload changes it. Peers named by host
 * name are looked up on the blocking scheduler at start and every {@link #REFRESH}, so that a
 * Kubernetes pod that came back with a new address is trusted again; the checks on event loops
 * read what the last lookup found.
 */
final class Cluster implements Disposable {

  private static final Logger log = LoggerFactory.getLogger(Cluster.class);
  static final Duration REFRESH = Duration.ofSeconds(30);

  private final FtpServerConfig config;
  private final boolean proxyProtocol;
  private final List<Cidr> trusted;
  private final Map<String, ClusterPeer> peersByTag;
  private final @Nullable ClusterPeer self;
  private final List<ClusterPeer> peers;
  private volatile Map<ClusterPeer, Set<InetAddress>> addresses = Map.of();
  private final Disposable refresh;

  Cluster(FtpServerConfig config, Scheduler blocking) {
    this.config = config;
    this.proxyProtocol = config.get(ServerOptions.PROXY_PROTOCOL);
    this.trusted = config.get(ServerOptions.TRUSTED_PROXIES);
    this.peers = config.get(ServerOptions.CLUSTER_PEERS);
    String nodeId = config.find(ServerOptions.NODE_ID).orElse(null);
    var byTag = new HashMap<String, ClusterPeer>();
    ClusterPeer own = null;
    for (var peer : peers) {
      if (peer.id().equals(nodeId)) {
        own = peer;
      } else {
        byTag.put(SpdtRegistry.nodeTag(peer.id()), peer);
      }
    }
    this.self = own;
    this.peersByTag = Map.copyOf(byTag);
    if (peers.stream().allMatch(p -> literal(p.host()).isPresent())) {
      resolve();
      this.refresh = reactor.core.Disposables.disposed();
    } else {
      blocking.schedule(this::resolve);
      this.refresh = Schedulers.parallel().schedulePeriodically(() -> blocking.schedule(this::resolve),
          REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Refuses a configuration whose cluster cannot work: peers without this node's id, two peers
   * with one id or one identifier tag, a PROXY protocol nobody may send.
   */
  static void check(FtpServerConfig config) {
    var peers = config.get(ServerOptions.CLUSTER_PEERS);
    if (!peers.isEmpty() && config.find(ServerOptions.NODE_ID).isEmpty()) {
      throw new IllegalArgumentException("--cluster-peer needs --node-id: the SPSV identifiers name their node");
    }
    var ids = new HashMap<String, ClusterPeer>();
    var tags = new HashMap<String, String>();
    config.find(ServerOptions.NODE_ID).ifPresent(id -> tags.put(SpdtRegistry.nodeTag(id), id));
    for (var peer : peers) {
      var before = ids.put(peer.id(), peer);
      if (before != null && !before.equals(peer)) {
        throw new IllegalArgumentException("cluster peer " + peer.id() + " is given twice: " + before + ", " + peer);
      }
      String other = tags.put(SpdtRegistry.nodeTag(peer.id()), peer.id());
      if (other != null && !other.equals(peer.id())) {
        throw new IllegalArgumentException("node ids " + other + " and " + peer.id()
            + " share an identifier tag; rename one of them");
      }
    }
    if (config.get(ServerOptions.PROXY_PROTOCOL) && config.get(ServerOptions.TRUSTED_PROXIES).isEmpty()) {
      throw new IllegalArgumentException("--proxy-protocol needs --trusted-proxies: the balancers' addresses");
    }
  }

  FtpServerConfig config() {
    return config;
  }

  /** Whether a connection from {@code from} must start with a PROXY header: a trusted proxy's, or a peer's. */
  boolean expectsHeader(InetAddress from) {
    return proxyProtocol && trusted.stream().anyMatch(c -> c.contains(from)) || isPeer(from);
  }

  /** Whether a connection from {@code from} is closed at once: the PROXY protocol is on and it is no trusted proxy. */
  boolean refuses(InetAddress from) {
    return proxyProtocol && !expectsHeader(from);
  }

  /** The peer that issued {@code identifier}, when its tag names another node of the cluster. */
  Optional<ClusterPeer> ownerOf(String identifier) {
    return SpdtRegistry.tagOf(identifier).map(peersByTag::get);
  }

  /** This node's address in the cluster: relayed connections start from it, where the peers trust them. */
  Optional<InetAddress> ownAddress() {
    return self == null ? Optional.empty() : Optional.ofNullable(addresses.get(self)).flatMap(a -> a.stream().findFirst());
  }

  private boolean isPeer(InetAddress from) {
    for (var set : addresses.values()) {
      if (set.contains(from)) {
        return true;
      }
    }
    return false;
  }

  private void resolve() {
    var found = new HashMap<ClusterPeer, Set<InetAddress>>();
    for (var peer : peers) {
      var literal = literal(peer.host());
      if (literal.isPresent()) {
        found.put(peer, Set.of(literal.get()));
        continue;
      }
      try {
        found.put(peer, Set.of(InetAddress.getAllByName(peer.host())));
      } catch (UnknownHostException e) {
        // kept from the last lookup: a name that stops resolving for a moment must not end the trust
        var before = addresses.get(peer);
        if (before != null) {
          found.put(peer, before);
        }
        log.warn("cluster peer {}: cannot resolve {}: {}", peer.id(), peer.host(), e.getMessage());
      }
    }
    addresses = Map.copyOf(found);
  }

  private static Optional<InetAddress> literal(String host) {
    return AddressFormats.literal(host, host.contains(":"));
  }

  @Override
  public void dispose() {
    refresh.dispose();
  }

  @Override
  public boolean isDisposed() {
    return refresh.isDisposed();
  }
}
