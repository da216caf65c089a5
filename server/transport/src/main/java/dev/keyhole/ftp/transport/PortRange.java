package dev.keyhole.ftp.transport;

/**
 * An inclusive range of TCP ports, such as the passive ports {@code 50000-50100}.
 *
 * @param from first port
 * @param to last port, at least {@code from}
 */
public record PortRange(int from, int to) {

  /** Checks that the range is within 1 to 65535 and not empty. */
  public PortRange {
    if (from < 1 || to > 65535 || from > to) {
      throw new IllegalArgumentException("not a port range: " + from + "-" + to);
    }
  }

  /** Parses {@code A-B}. */
  public static PortRange parse(String text) {
    String[] parts = text.trim().split("-", -1);
    try {
      if (parts.length == 2) {
        return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("expected a port range A-B, got '" + text + "'");
  }

  /** How many ports the range holds. */
  public int size() {
    return to - from + 1;
  }

  @Override
  public String toString() {
    return from + "-" + to;
  }
}
