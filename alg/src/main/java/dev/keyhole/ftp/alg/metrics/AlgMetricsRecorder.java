package dev.keyhole.ftp.alg.metrics;

/** What the ALG reports; {@link AlgMeters} names the meters of the Micrometer implementation. */
public interface AlgMetricsRecorder {

  /** Records nothing. */
  AlgMetricsRecorder NOOP = new AlgMetricsRecorder() {};

  /** A control session began, in this mode ({@code nat46}, {@code nat64}, {@code spsv-gateway}). */
  default void sessionOpened(String mode) {}

  /** A session through a listener of this mode ended. */
  default void sessionClosed(String mode) {}

  /** A connection refused: {@code max-sessions} or {@code upstream-unreachable}. */
  default void sessionRejected(String reason) {}

  /**
   * A command or reply rewritten, or answered by the ALG: {@code epsv-to-pasv}, {@code eprt-to-port},
   * {@code pasv-to-epsv}, {@code epsv-to-epsv}, {@code port-to-eprt}, {@code eprt-to-eprt},
   * {@code spsv}, {@code spdt}, {@code pasv-to-spsv}, {@code epsv-to-spsv}, {@code port-to-spsv},
   * {@code eprt-to-spsv}, {@code algs}, {@code refused}, {@code auth-transparent}.
   */
  default void translated(String kind) {}

  /**
   * Bytes a data relay moved, when it ends, and how: {@code splice} (socket to socket in the
   * kernel) or {@code copy} (through buffers).
   */
  default void relayed(long bytes, String method) {}

  /**
   * A data mapping that could not serve: {@code unreadable-reply}, {@code no-port}, {@code
   * no-connection} (the expected peer never connected, or the onward connection failed),
   * {@code spdt-refused}.
   */
  default void mappingFailed(String reason) {}
}
