package dev.keyhole.ftp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * The client side of SPDT: the greeting, the command, {@code 200 DATA}; and every way it can end
 * badly ends at once with an error, never in a wait for the timeout.
 */
class SpdtHandshakeTest {

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  @Test
  void aMultiLineGreetingThenSpdtThen200DataAndTheRestIsData() {
    var done = Sinks.<Void>empty();
    var channel = new EmbeddedChannel(new SpdtHandshake("id123", done));
    channel.writeInbound(text("220-Welcome\r\n220 ready\r\n"));
    ByteBuf sent = channel.readOutbound();
    assertThat(sent.toString(StandardCharsets.US_ASCII)).isEqualTo("SPDT id123\r\n");
    sent.release();
    channel.writeInbound(text("200 DATA\r\npayload"));
    done.asMono().block(Duration.ofSeconds(1));
    ByteBuf data = channel.readInbound();
    assertThat(data.toString(StandardCharsets.US_ASCII)).isEqualTo("payload");
    data.release();
    channel.finishAndReleaseAll();
  }

  @Test
  void aRefusalFails() {
    var done = Sinks.<Void>empty();
    var channel = new EmbeddedChannel(new SpdtHandshake("id", done));
    channel.writeInbound(text("220 ready\r\n"));
    channel.writeInbound(text("504 Unknown identifier\r\n"));
    assertThatThrownBy(() -> done.asMono().block(Duration.ofSeconds(1))).hasMessageContaining("504");
    channel.finishAndReleaseAll();
  }

  @Test
  void theServersEndOfStreamFailsAtOnceUnderHalfClosure() {
    // data connections allow half-closure: the end is an event, and the channel stays open
    var done = Sinks.<Void>empty();
    var channel = new EmbeddedChannel(new SpdtHandshake("id", done));
    channel.writeInbound(text("220 ready\r\n"));
    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThatThrownBy(() -> done.asMono().block(Duration.ofSeconds(1))).hasMessageContaining("closed during SPDT");
    channel.finishAndReleaseAll();
  }

  @Test
  void aCloseFails() {
    var done = Sinks.<Void>empty();
    var channel = new EmbeddedChannel(new SpdtHandshake("id", done));
    channel.close();
    assertThatThrownBy(() -> done.asMono().block(Duration.ofSeconds(1))).hasMessageContaining("closed during SPDT");
  }
}
