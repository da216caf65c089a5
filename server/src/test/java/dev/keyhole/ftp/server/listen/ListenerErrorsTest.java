package dev.keyhole.ftp.server.listen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.transport.ListenerErrors;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * An accept that fails on a listener is logged once, by Keyhole's logger, with the listener's
 * address, and goes no further down the pipeline; one that fails while the listener is being
 * closed is not a warning.
 */
class ListenerErrorsTest {

  @Test
  void anAcceptFailingOnAnOpenListenerIsAWarningWithItsAddress() {
    var listener = new EmbeddedChannel();
    ListenerErrors.install(listener);
    try (var logs = LogCapture.attachInfo(ListenerErrors.class)) {
      listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed with error(-24): Too many open files"));
      // taken here: it does not reach the end of the pipeline
      listener.checkException();
      assertThat(logs.lines()).singleElement().asString()
          .startsWith("listener embedded: accepting failed, paused for a second:")
          .contains("accept(..) failed");
      assertThat(logs.errors()).isEmpty();
    }
  }

  @Test
  void anAcceptFailingWhileTheListenerClosesIsNoWarning() {
    var listener = new EmbeddedChannel();
    ListenerErrors.install(listener);
    ListenerErrors.closing(listener);
    try (var logs = LogCapture.attachInfo(ListenerErrors.class)) {
      listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed with error(-22): Invalid argument"));
      listener.checkException();
      assertThat(logs.lines()).isEmpty();
    }
  }
}
