package dev.keyhole.ftp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class DataInboundTest {

  private static EmbeddedChannel channel() {
    var ch = new EmbeddedChannel();
    ch.config().setOption(ChannelOption.AUTO_READ, false);
    DataInbound.install(ch, Duration.ofMinutes(5));
    return ch;
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private static String take(ByteBuf buf) {
    try {
      return buf.toString(StandardCharsets.US_ASCII);
    } finally {
      buf.release();
    }
  }

  /** The peer's FIN, as Netty reports it on a half-closable channel. */
  private static void peerEnds(EmbeddedChannel ch) {
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
  }

  /**
   * The idle check must not outlive the connection: left in the event loop's queue it held the
   * closed channel (and its passive listener) for a quarter of the timeout, hundreds of megabytes
   * at thousands of transfers a second.
   */
  @Test
  void aClosedConnectionLeavesNoIdleCheckBehind() throws Exception {
    var group = new DefaultEventLoopGroup(1);
    try {
      var closed = openAndClose(group.next());
      // the loop lives on (as a server's does): nothing it holds may keep the channel
      for (int i = 0; i < 50 && closed.get() != null; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertThat(closed.get()).as("the closed channel, after collection").isNull();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** A data channel on {@code loop}, closed, and only weakly held from here on. */
  private static WeakReference<Channel> openAndClose(EventLoop loop) throws InterruptedException {
    Channel channel = new LocalChannel();
    loop.register(channel).sync();
    loop.submit(() -> DataInbound.install(channel, Duration.ofMinutes(5))).sync();
    channel.close().sync();
    return new WeakReference<>(channel);
  }

  @Test
  void dataAndEndOfStreamThatArriveBeforeTheSubscriberAreKept() {
    var ch = channel();
    ch.writeInbound(text("hello "), text("world"));
    peerEnds(ch);
    ch.close();
    StepVerifier.create(ch.attr(DataInbound.KEY).get().receive().map(DataInboundTest::take))
        .expectNext("hello ", "world")
        .verifyComplete();
  }

  @Test
  void buffersAreHandedOutOnlyAsRequested() {
    var ch = channel();
    ch.writeInbound(text("a"), text("b"), text("c"));
    var inbound = ch.attr(DataInbound.KEY).get();
    StepVerifier.create(inbound.receive().map(DataInboundTest::take), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(50))
        .thenRequest(1)
        .expectNext("a")
        .expectNoEvent(Duration.ofMillis(50))
        .thenRequest(2)
        .expectNext("b", "c")
        .then(() -> peerEnds(ch))
        .verifyComplete();
  }

  @Test
  void aConnectionThatClosesWithoutThePeersEndIsAnError() {
    var ch = channel();
    ch.writeInbound(text("half an upload"));
    ch.close(); // a reset, or a write into a reset connection: no end of stream came
    StepVerifier.create(ch.attr(DataInbound.KEY).get().receive().map(DataInboundTest::take))
        .expectNext("half an upload")
        .verifyError(DataConnectionException.class);
  }

  @Test
  void aTlsCloseNotifyIsAnEnd() {
    var ch = channel();
    ch.writeInbound(text("all of it"));
    ch.pipeline().fireUserEventTriggered(io.netty.handler.ssl.SslCloseCompletionEvent.SUCCESS);
    ch.close();
    StepVerifier.create(ch.attr(DataInbound.KEY).get().receive().map(DataInboundTest::take))
        .expectNext("all of it")
        .verifyComplete();
  }

  @Test
  void discardReleasesWhatNobodyRead() {
    var ch = channel();
    ByteBuf buf = text("unread");
    ch.writeInbound(buf);
    ch.attr(DataInbound.KEY).get().discard();
    ch.runPendingTasks();
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void aSecondReaderIsRefused() {
    var ch = channel();
    var inbound = ch.attr(DataInbound.KEY).get();
    inbound.receive().subscribe();
    StepVerifier.create(inbound.receive()).expectError(IllegalStateException.class).verify();
  }
}
