package dev.keyhole.ftp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A command line from the client, as the bytes that arrived (Telnet commands removed), with its
 * line terminator. The verb is read as ASCII; the argument as ISO-8859-1, so that every byte of a
 * path in any encoding survives a round trip.
 *
 * @param raw the line with its terminator
 */
public record ControlLine(byte[] raw) {

  /** A line the ALG writes itself, CRLF appended. */
  public static ControlLine of(String text) {
    return new ControlLine((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The line without its terminator. */
  public String text() {
    int end = raw.length;
    if (end > 0 && raw[end - 1] == '\n') {
      end--;
    }
    if (end > 0 && raw[end - 1] == '\r') {
      end--;
    }
    return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
  }

  /** The verb, upper case. */
  public String verb() {
    String t = text();
    int space = t.indexOf(' ');
    return (space < 0 ? t.trim() : t.substring(0, space)).toUpperCase(Locale.ROOT);
  }

  /** What follows the verb and one space, or empty. */
  public String argument() {
    String t = text();
    int space = t.indexOf(' ');
    return space < 0 ? "" : t.substring(space + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlLine other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return verb().equals("PASS") ? "PASS ****" : text();
  }
}
