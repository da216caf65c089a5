package dev.keyhole.ftp.alg;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.protocol.LineSplitter;
import dev.keyhole.ftp.transport.PortRange;
import java.time.Duration;
import java.util.List;

/**
 * The ALG's options, each declared once as the server's are ({@code ServerOptions}):
 * {@link FtpAlg#option} sets them, {@link AlgConfig#get} reads them, and the {@code keyhole alg}
 * flags are made from {@link #ALL}.
 */
public final class AlgOptions {

  private AlgOptions() {}

  public static final ConfigOption<PortRange> DATA_PORTS = ConfigOption.of("data-ports", "A-B", PortRange.class, null,
      PortRange::parse, PortRange::toString,
      "ports for data mappings, picked at random (default: 10000 up to the kernel's ephemeral range)");

  public static final ConfigOption<Duration> MAPPING_TIMEOUT = ConfigOption.duration("mapping-timeout",
      Duration.ofSeconds(60), Duration.ofMillis(1),
      "how long a data mapping waits for its connection (RFC 6384 section 12 asks for 30s at least)");

  public static final ConfigOption<Duration> IDLE_TIMEOUT = ConfigOption.duration("idle-timeout", Duration.ofMinutes(10),
      Duration.ofMillis(1), "close a control connection idle this long with no data relay running; a data relay "
          + "that moves nothing this long too");

  public static final ConfigOption<Integer> MAX_SESSIONS = ConfigOption.integer("max-sessions", "N", 2000, 1,
      "control sessions at once over every listener; more get 421");

  public static final ConfigOption<Boolean> STRICT_PASV_ADDRESS = ConfigOption.flag("strict-pasv-address",
      "answer 425 when a server's 227 names another address than its own (RFC 6384 section 5: MAY); by default the "
          + "address is ignored, as most clients do");

  public static final ConfigOption<Integer> MAX_LINE_LENGTH = ConfigOption.integer("max-line-length", "BYTES",
      LineSplitter.DEFAULT_MAX_LINE_LENGTH, 16, "the longest command line relayed; longer ones are answered 500");

  public static final ConfigOption<Boolean> NO_SPLICE = ConfigOption.flag("no-splice",
      "relay data through buffers, never socket to socket in the kernel (splice(2), Linux with epoll only)");

  /** Every option, in the order of the help text. */
  public static final List<ConfigOption<?>> ALL = List.of(DATA_PORTS, MAPPING_TIMEOUT, IDLE_TIMEOUT, MAX_SESSIONS,
      STRICT_PASV_ADDRESS, MAX_LINE_LENGTH, NO_SPLICE);
}
