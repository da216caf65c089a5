package dev.keyhole.ftp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
