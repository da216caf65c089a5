package dev.keyhole.ftp.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU accounting of a process tree whose children come and go, as a forking server's do. */
class PeerCpuTest {

  @Test
  void childrenThatExitWhileTheTreeIsReadNeverMakeItsCpuUnknown() throws Exception {
    // a shell that forks short-lived children for about two seconds, and burns some CPU itself
    var shell = new ProcessBuilder("bash", "-c",
        "for i in $(seq 400); do /bin/true & /bin/true; i=$((i*i)); sleep 0.005; done; wait").start();
    try {
      double last = 0;
      int sawChildren = 0;
      for (int sample = 0; sample < 400 && shell.isAlive(); sample++) {
        if (shell.toHandle().descendants().findAny().isPresent()) {
          sawChildren++;
        }
        double seconds = Peer.treeCpuSeconds(shell.toHandle());
        assertThat(seconds).as("sample %d", sample).isNotNaN().isGreaterThanOrEqualTo(0);
        last = seconds;
      }
      assertThat(sawChildren).as("samples that found children").isPositive();
      assertThat(last).isNotNaN();
    } finally {
      shell.destroyForcibly();
      shell.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aProcessThatIsGoneHasNoCpuFigure() throws Exception {
    var gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    assertThat(ProcStats.cpuSeconds(gone.pid(), true)).isNaN();
  }
}
