package dev.keyhole.ftp.server.listen;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ClusterPeer;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.command.CommandDispatcher;
import dev.keyhole.ftp.server.session.FtpSession;
import dev.keyhole.ftp.server.session.ServerContext;
import dev.keyhole.ftp.server.tls.internal.ServerTls;
import dev.keyhole.ftp.server.tls.internal.TlsPipeline;
import dev.keyhole.ftp.transport.KeyholePipeline;
import dev.keyhole.ftp.transport.SpdtBinding;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The one place where the listener decides what a new connection is. Every connection is greeted
 * and starts as a control session; one whose first command is {@code SPDT <identifier>} (or whose
 * commands before it were only USER and PASS) becomes the data connection of the session that
 * issued the identifier, and stops counting against the session limits. When the limits are
 * reached, new connections are refused with 421, unless SPSV identifiers are pending: then they
 * are greeted 220 for SPDT only (draft-rosenau-ftp-single-port-05 section 5).
 */
public final class ConnectionRouter implements DataBinder {

  private static final Logger log = LoggerFactory.getLogger(ConnectionRouter.class);

  private final ServerContext server;
  private final CommandDispatcher dispatcher;
  private final SessionLimits limits;
  private final AtomicLong ids = new AtomicLong();
  private final Set<ControlLoop> sessions = ConcurrentHashMap.newKeySet();
  private static final FtpReply BANNED = FtpReply.of(421, "Too many failed logins or connections from your address; try later.");

  /** Connections admitted for SPDT only, with what gives their place back. */
  private final ConcurrentHashMap<ControlLoop, Runnable> spdtOnly = new ConcurrentHashMap<>();
  private final SessionLimits spdtOnlyLimits;
  private volatile Cluster cluster;
  private volatile boolean draining;
  private volatile long lastConnection = System.nanoTime();
  private final AtomicInteger relays = new AtomicInteger();
  private static final SessionLimits.Refusal DRAINING = new SessionLimits.Refusal("draining",
      FtpReply.of(421, "This node is shutting down; connect again."));

  public ConnectionRouter(ServerContext server, CommandDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.limits = new SessionLimits(server.config().get(ServerOptions.MAX_SESSIONS), server.config().get(ServerOptions.MAX_SESSIONS_PER_IP));
    // the pending identifiers bound them in all (below); from one address, as many as sessions may be
    this.spdtOnlyLimits = new SessionLimits(Integer.MAX_VALUE, server.config().get(ServerOptions.MAX_SESSIONS_PER_IP));
    this.cluster = new Cluster(server.config(), server.blocking());
  }

  /** SPDT-only connections admitted beyond the identifiers pending: a client's retries, a little slack. */
  static final int SPDT_ONLY_SLACK = 8;
  /** SPDT-only connections a draining cluster node admits beyond its own identifiers', for its peers'. */
  static final int MAX_RELAYED_WHILE_DRAINING = 1000;

  /**
   * Whether a connection beyond the limits may wait for SPDT: only while identifiers are pending,
   * no more such connections than identifiers plus {@link #SPDT_ONLY_SLACK}, and from one address
   * no more than its session limit. Unbounded, a flood of connections was greeted (thousands, then
   * the file descriptors ran out) while one identifier waited.
   */
  private boolean admitSpdtOnly(InetAddress address) {
    int pending = server.spdt().pendingCount();
    // a draining node of a cluster: the SPDT may be for another node, to relay
    boolean relaying = draining && !server.config().get(ServerOptions.CLUSTER_PEERS).isEmpty();
    if (!relaying && pending == 0 || spdtOnly.size() >= pending + SPDT_ONLY_SLACK + (relaying ? MAX_RELAYED_WHILE_DRAINING : 0)) {
      return false;
    }
    return spdtOnlyLimits.tryOpen(address).isEmpty();
  }

  private void releaseSpdtOnly(ControlLoop loop) {
    var release = spdtOnly.remove(loop);
    if (release != null) {
      release.run();
    }
  }

  /**
   * Handles a new connection on its event loop; the returned Mono completes when it closes. A
   * connection from a trusted proxy or a cluster peer starts with a PROXY header, read before
   * anything else: the session then belongs to the client address it names.
   */
  public Mono<Void> route(Connection connection, boolean implicit) {
    lastConnection = System.nanoTime();
    var channel = connection.channel();
    var peer = (InetSocketAddress) channel.remoteAddress();
    var cluster = cluster();
    if (cluster.expectsHeader(peer.getAddress())) {
      ProxyHeaderReader.install(channel, client -> open(connection, implicit, client), why -> {
        log.info("closed {}: {}", AddressFormats.hostPort(peer), why);
        server.config().metrics().sessionRejected("proxy-header");
      });
    } else if (cluster.refuses(peer.getAddress())) {
      // before any work, and without a word: it is no FTP client's mistake but a path around the balancer
      log.warn("closed {}: not a trusted proxy (--trusted-proxies), and --proxy-protocol is on", AddressFormats.hostPort(peer));
      server.config().metrics().sessionRejected("untrusted-proxy");
      channel.close();
    } else {
      open(connection, implicit, peer);
    }
    return connection.onDispose();
  }

  private void open(Connection connection, boolean implicit, InetSocketAddress remote) {
    // the TLS of now: a reload may have brought a new certificate
    Optional<ServerTls> implicitTls = implicit ? server.tls() : Optional.empty();
    if (server.bans().refuses(remote.getAddress())) {
      // before any work: no session, no TLS; on an implicit-FTPS port a clear 421 would be noise
      server.config().metrics().sessionRejected("banned");
      if (implicitTls.isEmpty()) {
        connection.channel().writeAndFlush(BANNED).addListener(ChannelFutureListener.CLOSE);
      } else {
        connection.channel().close();
      }
      return;
    }
    // implicit FTPS: TLS before anything is written, the 421 of a refusal included
    if (implicitTls.isPresent() && implicitTls.get().hasHostCertificates()) {
      // the client's TLS server name chooses the certificate (and the virtual host): the session
      // starts once the hello is read and the TLS handler for it is in place
      TlsPipeline.startServerBySni(connection.channel(), implicitTls.get(), (name, context, handler) ->
          admit(connection, remote, Optional.of(context), Optional.of(handler),
              name.flatMap(n -> server.config().virtualHosts().stream().filter(h -> h.answersTo(n)).findFirst())));
      return;
    }
    Optional<SslContext> tlsContext;
    try {
      // CPU work only (the key's bytes are in memory), and only where session reuse is required
      tlsContext = implicitTls.isPresent() ? Optional.of(implicitTls.get().contextForSession()) : Optional.empty();
    } catch (IOException e) {
      log.warn("implicit TLS for {} failed: {}", AddressFormats.hostPort(remote), e.toString());
      connection.dispose();
      return;
    }
    var tlsHandler = tlsContext.map(context -> TlsPipeline.startServer(connection.channel(),
        implicitTls.get().newHandler(context, connection.channel().alloc()), s -> { }));
    admit(connection, remote, tlsContext, tlsHandler, Optional.empty());
  }

  /**
   * Opens the session of a connection (TLS in place on an implicit-FTPS port), or refuses it with
   * 421 at the session limits, or admits it for SPDT only.
   */
  private void admit(Connection connection, InetSocketAddress remote, Optional<SslContext> tlsContext,
      Optional<SslHandler> tlsHandler, Optional<VirtualHost> host) {
    var local = (InetSocketAddress) connection.channel().localAddress();
    var refusal = draining ? Optional.of(DRAINING) : limits.tryOpen(remote.getAddress());
    boolean spdtOnly = refusal.isPresent() && admitSpdtOnly(remote.getAddress());
    if (refusal.isPresent() && !spdtOnly) {
      log.info("refused {}: {}", AddressFormats.hostPort(remote), refusal.get().reason());
      server.config().metrics().sessionRejected(refusal.get().reason());
      connection.channel().writeAndFlush(refusal.get().reply()).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    var session = new FtpSession(ids.incrementAndGet(), connection, remote, local);
    host.ifPresent(session::host);
    tlsHandler.ifPresent(handler -> {
      session.controlTls(true);
      session.tlsContext(tlsContext.get());
      handler.handshakeFuture().addListener(f -> {
        if (f.isSuccess()) {
          session.tlsSession(handler.engine().getSession());
        }
      });
    });
    var loop = new ControlLoop(session, server, dispatcher, this, !spdtOnly, spdtOnly);
    sessions.add(loop);
    if (spdtOnly) {
      this.spdtOnly.put(loop, () -> spdtOnlyLimits.release(remote.getAddress()));
    }
    connection.onDispose(() -> {
      sessions.remove(loop);
      releaseSpdtOnly(loop);
      // the connection's TLS context goes back for a later session (an SPDT connection's too)
      session.tlsContext().ifPresent(context -> server.tls().ifPresent(tls -> tls.release(context)));
      if (!loop.converted()) {
        if (loop.counted()) {
          limits.release(remote.getAddress());
        }
        loop.closed();
      }
    });
    if (spdtOnly) {
      log.info("connection {} from {} admitted for SPDT only: {}", session.id(), AddressFormats.hostPort(remote), refusal.get().reason());
      loop.start(SpdtBinding.SPDT_ONLY_GREETING);
    } else {
      log.info("session {} from {} opened", session.id(), AddressFormats.hostPort(remote));
      server.config().metrics().sessionOpened();
      server.publish(new FtpEvent.SessionOpened(session.id(), remote));
      var config = server.config();
      loop.start(FtpReply.of(220, host.or(config::defaultHost).flatMap(VirtualHost::banner)
          .orElse(config.get(ServerOptions.BANNER))));
    }
  }

  @Override
  public void bind(ControlLoop loop, String identifier) {
    var session = loop.session();
    var owner = cluster().ownerOf(identifier);
    if (owner.isPresent()) {
      relay(loop, identifier, owner.get());
      return;
    }
    var binding = server.spdt().take(identifier, session.remote().getAddress());
    if (binding.isEmpty()) {
      log.info("connection {} from {}: SPDT refused", session.id(), AddressFormats.hostPort(session.remote()));
      loop.refuse(SpdtBinding.REFUSED);
      return;
    }
    becomeData(loop);
    var connection = session.control();
    var channel = connection.channel();
    channel.pipeline().remove(KeyholePipeline.REPLY_ENCODER);
    if (TlsPipeline.of(channel).isPresent()) {
      channel.attr(TlsPipeline.IDENTIFIED_INSIDE_TLS).set(true);
    }
    var tls = binding.get().tls();
    boolean startTls = tls.isPresent() && TlsPipeline.of(channel).isEmpty();
    log.debug("connection {} from {} is the data connection of session {}", session.id(), AddressFormats.hostPort(session.remote()),
        binding.get().sessionId());
    binding.get().takeOver(connection, KeyholePipeline.COMMAND_DECODER, server.config().get(ServerOptions.DATA_CONNECTION_TIMEOUT),
        data -> {
          if (startTls) {
            // PROT P: the handshake starts right after 200 DATA (draft section 7), the server being the TLS server
            TlsPipeline.startServerAfter(data, KeyholePipeline.COMMAND_DECODER, tls.get().get());
          }
        });
    if (startTls) {
      channel.read();
    }
  }

  /** The connection stops being a control session: its place among the sessions goes back. */
  private void becomeData(ControlLoop loop) {
    loop.convertToData();
    releaseSpdtOnly(loop);
    if (loop.counted()) {
      limits.release(loop.session().remote().getAddress());
    }
  }

  /** Forwards the SPDT connection to the node that issued the identifier (or refuses it inside TLS). */
  private void relay(ControlLoop loop, String identifier, ClusterPeer owner) {
    var session = loop.session();
    if (TlsPipeline.of(session.control().channel()).isPresent()) {
      log.info("connection {} from {}: SPDT for node {} refused inside TLS", session.id(),
          AddressFormats.hostPort(session.remote()), owner.id());
      loop.refuse(SpdtRelay.NOT_OVER_TLS);
      return;
    }
    becomeData(loop);
    relays.incrementAndGet();
    SpdtRelay.relay(server, cluster(), session, identifier, owner, relays::decrementAndGet);
  }

  /**
   * The cluster of the configuration in force: made again after a reload changed it. Cheap when
   * nothing changed (one comparison), so every connection asks.
   */
  private Cluster cluster() {
    var now = cluster;
    if (now.config() == server.config()) {
      return now;
    }
    synchronized (this) {
      if (cluster.config() != server.config()) {
        var before = cluster;
        cluster = new Cluster(server.config(), server.blocking());
        before.dispose();
      }
      return cluster;
    }
  }

  /**
   * Drains: from now on new connections are greeted for SPDT only (a balancer still sends some
   * until its health check sees the node go), so that this node's pending identifiers and its
   * peers' relays still work, and every session closes once its running command or transfer has
   * ended, or once its prepared data connection has been used.
   */
  public void drain() {
    draining = true;
    sessions().forEach(ControlLoop::closeWhenDone);
  }

  /** Whether {@link #drain} was called. */
  public boolean draining() {
    return draining;
  }

  /** SPDT connections being relayed to other nodes now. */
  public int relays() {
    return relays.get();
  }

  /**
   * Whether a draining node still has work: sessions, relays, connections admitted for SPDT that
   * have not sent it yet, or a connection that arrived within {@code quiet} (the balancer has not
   * yet seen the node's health fail, and an SPDT may follow).
   */
  public boolean busy(Duration quiet) {
    return openSessions() > 0 || relays.get() > 0 || !spdtOnly.isEmpty()
        || System.nanoTime() - lastConnection < quiet.toNanos();
  }

  /**
   * Refuses a configuration whose PROXY protocol or cluster settings cannot work (no node id with
   * peers, duplicate ids, no trusted proxy), with {@link IllegalArgumentException}.
   */
  public static void check(dev.keyhole.ftp.server.api.FtpServerConfig config) {
    Cluster.check(config);
  }

  /** Stops the peer-address lookups. */
  public void close() {
    cluster.dispose();
  }

  /** What the sessions share. */
  public ServerContext context() {
    return server;
  }

  /** The sessions open now. */
  public Set<ControlLoop> sessions() {
    return Set.copyOf(sessions);
  }

  public int openSessions() {
    return limits.open();
  }
}
