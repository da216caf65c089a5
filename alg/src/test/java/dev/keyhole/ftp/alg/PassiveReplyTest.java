package dev.keyhole.ftp.alg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.protocol.ReplyBlock;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every form of passive reply servers send, and the ones the ALG must refuse (425, never a hang). */
class PassiveReplyTest {

  private static final InetAddress SERVER = InetAddress.getLoopbackAddress();

  @Test
  void readsEvery227Form() throws Exception {
    assertThat(PassiveReply.port(ReplyBlock.of(227, "Entering Passive Mode (127,0,0,1,4,1)"), SERVER, false)).contains(1025);
    assertThat(PassiveReply.port(ReplyBlock.of(227, "Entering Passive Mode 127,0,0,1,4,2"), SERVER, false)).contains(1026);
    assertThat(PassiveReply.port(ReplyBlock.of(227, "=127,0,0,1,4,3"), SERVER, false)).contains(1027);
    var multi = ReplyBlock.ofLines(227, List.of("227-Entering Passive Mode", "227 (127,0,0,1,4,4)"));
    assertThat(PassiveReply.port(multi, SERVER, false)).contains(1028);
    // another address than the server's: ignored by default, refused when strict (RFC 6384 section 5)
    var elsewhere = ReplyBlock.of(227, "Entering Passive Mode (10,0,0,7,4,5)");
    assertThat(PassiveReply.port(elsewhere, SERVER, false)).contains(1029);
    assertThat(PassiveReply.port(elsewhere, SERVER, true)).isEmpty();
  }

  @Test
  void reads229WithAnyDelimiter() {
    assertThat(PassiveReply.port(ReplyBlock.of(229, "Entering Extended Passive Mode (|||6446|)"), SERVER, false)).contains(6446);
    assertThat(PassiveReply.port(ReplyBlock.of(229, "Extended Passive (!!!6447!)"), SERVER, false)).contains(6447);
  }

  @Test
  void refusesWhatCannotBeRead() {
    assertThat(PassiveReply.port(ReplyBlock.of(227, "Entering Passive Mode"), SERVER, false)).isEmpty();
    assertThat(PassiveReply.port(ReplyBlock.of(227, "(300,0,0,1,4,1)"), SERVER, false)).isEmpty();
    assertThat(PassiveReply.port(ReplyBlock.of(227, "(127,0,0,1,0,0)"), SERVER, false)).isEmpty();
    assertThat(PassiveReply.port(ReplyBlock.of(229, "Entering Extended Passive Mode (|||x|)"), SERVER, false)).isEmpty();
    assertThat(PassiveReply.port(ReplyBlock.of(229, "(|1|2|3|)"), SERVER, false)).isEmpty();
    assertThat(PassiveReply.port(ReplyBlock.of(200, "(127,0,0,1,4,1)"), SERVER, false)).isEmpty();
  }
}
