package dev.keyhole.ftp.server.listen;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.FtpEvent;
import dev.keyhole.ftp.server.command.CommandDispatcher;
import dev.keyhole.ftp.server.session.ControlLoop;
import dev.keyhole.ftp.server.session.FtpSession;
import dev.keyhole.ftp.server.session.ServerContext;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The one place where the listener decides what a new connection is. Today every connection is a
 * control session (after the session limits are checked); the single-port extension adds data
 * bindings here, decided by the connection's first command.
 */
public final class ConnectionRouter {

  private static final Logger log = LoggerFactory.getLogger(ConnectionRouter.class);

  private final ServerContext server;
  private final CommandDispatcher dispatcher;
  private final SessionLimits limits;
  private final AtomicLong ids = new AtomicLong();
  private final Set<ControlLoop> sessions = ConcurrentHashMap.newKeySet();

  public ConnectionRouter(ServerContext server, CommandDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.limits = new SessionLimits(server.config().maxSessions(), server.config().maxSessionsPerIp());
  }

  /** Handles a new connection on its event loop; the returned Mono completes when it closes. */
  public Mono<Void> route(Connection connection) {
    var remote = (InetSocketAddress) connection.channel().remoteAddress();
    var local = (InetSocketAddress) connection.channel().localAddress();
    var refusal = limits.tryOpen(remote.getAddress());
    if (refusal.isPresent()) {
      log.info("refused {}: {}", remote, refusal.get().reason());
      server.config().metrics().sessionRejected(refusal.get().reason());
      connection.channel().writeAndFlush(refusal.get().reply()).addListener(ChannelFutureListener.CLOSE);
      return connection.onDispose();
    }
    var session = new FtpSession(ids.incrementAndGet(), connection, remote, local);
    var loop = new ControlLoop(session, server, dispatcher);
    sessions.add(loop);
    connection.onDispose(() -> {
      sessions.remove(loop);
      limits.release(remote.getAddress());
      loop.closed();
    });
    log.info("session {} from {} opened", session.id(), remote);
    server.config().metrics().sessionOpened();
    server.publish(new FtpEvent.SessionOpened(session.id(), remote));
    loop.start(FtpReply.of(220, server.config().banner()));
    return connection.onDispose();
  }

  /** The sessions open now. */
  public Set<ControlLoop> sessions() {
    return Set.copyOf(sessions);
  }

  public int openSessions() {
    return limits.open();
  }
}
