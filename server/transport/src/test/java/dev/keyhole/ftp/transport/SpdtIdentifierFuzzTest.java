package dev.keyhole.ftp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.net.InetAddress;
import java.time.Duration;
import reactor.core.scheduler.Schedulers;

/**
 * Fuzz target: an SPDT identifier that is not the one issued binds nothing, whatever it holds;
 * the issued one binds once.
 */
class SpdtIdentifierFuzzTest {

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  @FuzzTest
  void onlyTheIssuedIdentifierBinds(@NotNull String guess) {
    var registry = new SpdtRegistry(16, Duration.ofMinutes(1));
    var binding = registry.issue(1, CLIENT, false, Schedulers.parallel()).orElseThrow();
    String issued = binding.identifier();
    assertThat(issued).matches("[!-~&&[^():]]{1,32}");
    if (!guess.equals(issued)) {
      assertThat(registry.take(guess, CLIENT)).isEmpty();
    }
    assertThat(registry.take(issued, CLIENT)).contains(binding);
    assertThat(registry.take(issued, CLIENT)).isEmpty();
    binding.close();
  }
}
