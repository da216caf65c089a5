package dev.keyhole.ftp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class SpdtRegistryTest {

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  @Test
  void identifiersFollowTheDraftAndDoNotRepeat() {
    var registry = new SpdtRegistry(10_000, Duration.ofMinutes(1));
    var seen = new HashSet<String>();
    for (int i = 0; i < 2000; i++) {
      String id = registry.issue(1, CLIENT, false, Schedulers.parallel()).orElseThrow().identifier();
      assertThat(id).hasSizeBetween(1, 32).matches("[!-~&&[^():]]+");
      assertThat(seen.add(id)).isTrue();
    }
  }

  @Test
  void anIdentifierBindsOnceAndOnlyWithItsSecret() {
    var registry = new SpdtRegistry(10, Duration.ofMinutes(1));
    var binding = registry.issue(1, CLIENT, false, Schedulers.parallel()).orElseThrow();
    String id = binding.identifier();
    String wrongSecret = id.substring(0, 8) + (id.charAt(8) == 'A' ? 'B' : 'A') + id.substring(9);
    assertThat(registry.take(wrongSecret, CLIENT)).isEmpty();
    assertThat(registry.take(id.substring(0, 29), CLIENT)).isEmpty();
    assertThat(registry.take(id, CLIENT)).containsSame(binding);
    assertThat(registry.take(id, CLIENT)).isEmpty();
    assertThat(registry.hasPending()).isFalse();
  }

  @Test
  void anIdentifierIsBoundToItsSessionsAddressUnlessConfiguredOtherwise() throws Exception {
    var registry = new SpdtRegistry(10, Duration.ofMinutes(1));
    var other = InetAddress.getByName("127.0.0.2");
    String strict = registry.issue(1, CLIENT, false, Schedulers.parallel()).orElseThrow().identifier();
    assertThat(registry.take(strict, other)).isEmpty();
    String loose = registry.issue(2, CLIENT, true, Schedulers.parallel()).orElseThrow().identifier();
    assertThat(registry.take(loose, other)).isPresent();
  }

  @Test
  void pendingIdentifiersAreBounded() {
    var registry = new SpdtRegistry(3, Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      assertThat(registry.issue(i, CLIENT, false, Schedulers.parallel())).isPresent();
    }
    assertThat(registry.issue(4, CLIENT, false, Schedulers.parallel())).isEmpty();
    assertThat(registry.pendingCount()).isEqualTo(3);
  }

  @Test
  void withdrawnAndExpiredIdentifiersAreGone() {
    var registry = new SpdtRegistry(10, Duration.ofMillis(100));
    var withdrawn = registry.issue(1, CLIENT, false, Schedulers.parallel()).orElseThrow();
    withdrawn.close();
    assertThat(registry.take(withdrawn.identifier(), CLIENT)).isEmpty();
    var expiring = registry.issue(2, CLIENT, false, Schedulers.parallel()).orElseThrow();
    StepVerifier.create(expiring.connection()).expectError(DataConnectionException.class).verify(Duration.ofSeconds(2));
    assertThat(registry.take(expiring.identifier(), CLIENT)).isEmpty();
    assertThat(registry.pendingCount()).isZero();
  }

  @Test
  void concurrentBindsOfOneIdentifierHaveOneWinner() {
    for (int round = 0; round < 50; round++) {
      var registry = new SpdtRegistry(10, Duration.ofMinutes(1));
      String id = registry.issue(1, CLIENT, false, Schedulers.parallel()).orElseThrow().identifier();
      StepVerifier.create(Flux.range(0, 16)
              .parallel(8)
              .runOn(Schedulers.parallel())
              .map(i -> registry.take(id, CLIENT).isPresent())
              .sequential()
              .filter(won -> won)
              .count())
          .expectNext(1L)
          .verifyComplete();
    }
  }

  @Test
  void anAddressWithTooManyFailuresIsRefusedForTheWindow() {
    var clock = new AtomicLong();
    var registry = new SpdtRegistry(10, Duration.ofMinutes(5), clock::get);
    String id = registry.issue(1, CLIENT, false, Schedulers.parallel()).orElseThrow().identifier();
    for (int i = 0; i < SpdtRegistry.MAX_FAILURES; i++) {
      assertThat(registry.take("guess" + i, CLIENT)).isEmpty();
    }
    assertThat(registry.take(id, CLIENT)).as("refused even with the right identifier").isEmpty();
    clock.addAndGet(SpdtRegistry.FAILURE_WINDOW.toNanos() + 1);
    assertThat(registry.take(id, CLIENT)).isPresent();
  }
}
