package dev.keyhole.ftp.transport;

import dev.keyhole.ftp.protocol.AddressFormats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a listening channel (the control listeners, the passive listeners): an
 * error accepting a connection is logged with the listener's address by Keyhole's logger, where
 * Netty logged it as an exception that reached the end of the pipeline, with no address. The
 * process out of file descriptors is a warning an operator must see ("accept(..) failed with
 * error(-24): Too many open files"); an accept that fails because the listener is being closed
 * (at shutdown, or a passive listener that has its connection) is not, and is logged at debug.
 * Reactor Netty's acceptor, before this handler, has already paused accepting for a second.
 */
@Sharable
public final class ListenerErrors extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ListenerErrors.class);
  private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("keyhole.listenerClosing");
  private static final ListenerErrors INSTANCE = new ListenerErrors();

  private ListenerErrors() {}

  /** Puts the handler last in a listening channel's pipeline. */
  public static void install(Channel listener) {
    listener.pipeline().addLast(KeyholePipeline.LISTENER_ERRORS, INSTANCE);
  }

  /** Marks a listener as being closed: an accept failing from now on is expected. */
  public static void closing(Channel listener) {
    listener.attr(CLOSING).set(true);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    var channel = ctx.channel();
    String address = channel.localAddress() instanceof InetSocketAddress a ? AddressFormats.hostPort(a) : String.valueOf(channel.localAddress());
    if (Boolean.TRUE.equals(channel.attr(CLOSING).get()) || !channel.isActive()) {
      log.debug("listener {} (closing): accepting failed: {}", address, cause.toString());
    } else {
      log.warn("listener {}: accepting failed, paused for a second: {}", address, cause.getMessage());
    }
  }
}
