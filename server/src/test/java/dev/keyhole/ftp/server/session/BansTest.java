package dev.keyhole.ftp.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BansTest {

  /** A clock the test moves. */
  private static final class Manual extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private static final InetAddress A = address("192.0.2.1");
  private static final InetAddress B = address("192.0.2.2");

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void failuresWithinTheWindowBanTheAddressForTheBanTimeOnly() {
    var clock = new Manual();
    var bans = new Bans(3, Duration.ofMinutes(10), Duration.ofMinutes(15), 0, 0, clock);
    bans.loginFailed(A, "root");
    bans.loginFailed(A, "admin");
    assertThat(bans.refuses(A)).isFalse();
    bans.loginFailed(A, "test");
    assertThat(bans.refuses(A)).isTrue();
    assertThat(bans.refuses(B)).as("only the guessing address").isFalse();
    assertThat(bans.bannedCount()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(15).plusSeconds(1));
    assertThat(bans.refuses(A)).isFalse();
    assertThat(bans.bannedCount()).isZero();
  }

  @Test
  void aBanStartedIsCounted() {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    var bans = new Bans(2, Duration.ofMinutes(10), Duration.ofMinutes(15), 0, 0, new Manual(),
        new dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder(registry));
    bans.loginFailed(A, "x");
    bans.loginFailed(A, "x");
    assertThat(registry.get("keyhole.bans").tag("kind", "address").counter().count()).isEqualTo(1);
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    var clock = new Manual();
    var bans = new Bans(3, Duration.ofMinutes(10), Duration.ofMinutes(15), 0, 0, clock);
    bans.loginFailed(A, "x");
    bans.loginFailed(A, "x");
    clock.advance(Duration.ofMinutes(11));
    bans.loginFailed(A, "x");
    assertThat(bans.refuses(A)).isFalse();
    bans.loginFailed(A, "x");
    bans.loginFailed(A, "x");
    assertThat(bans.refuses(A)).isTrue();
  }

  @Test
  void anAccountIsLockedByFailuresFromAnywhereWhenAsked() {
    var clock = new Manual();
    var bans = new Bans(0, Duration.ofMinutes(10), Duration.ofMinutes(15), 2, 0, clock);
    bans.loginFailed(A, "Alice");
    assertThat(bans.locked("alice")).isFalse();
    bans.loginFailed(B, "alice");
    assertThat(bans.locked("ALICE")).isTrue();
    assertThat(bans.refuses(A)).as("no address bans with ban-after 0").isFalse();
    clock.advance(Duration.ofMinutes(16));
    assertThat(bans.locked("alice")).isFalse();
  }

  @Test
  void connectionsPerMinuteAreLimitedPerAddress() {
    var clock = new Manual();
    var bans = new Bans(0, Duration.ofMinutes(10), Duration.ofMinutes(15), 0, 3, clock);
    assertThat(bans.refuses(A)).isFalse();
    assertThat(bans.refuses(A)).isFalse();
    assertThat(bans.refuses(A)).isFalse();
    assertThat(bans.refuses(A)).isTrue();
    assertThat(bans.refuses(B)).isFalse();
    clock.advance(Duration.ofSeconds(61));
    assertThat(bans.refuses(A)).isFalse();
  }

  @Test
  void offMeansNothingIsTracked() {
    var bans = new Bans(0, Duration.ofMinutes(10), Duration.ofMinutes(15), 0, 0, Clock.systemUTC());
    for (int i = 0; i < 100; i++) {
      bans.loginFailed(A, "x");
      assertThat(bans.refuses(A)).isFalse();
    }
  }
}
