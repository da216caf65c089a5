package dev.keyhole.ftp.protocol;

import java.util.List;

/**
 * A reply: a three-digit code and one or more lines of text. A reply of several lines is sent in
 * the multi-line form of RFC 959 section 4.2.
 *
 * @param code the reply code, 100 to 599
 * @param lines the text lines, at least one
 */
public record FtpReply(int code, List<String> lines) {

  /** Checks the code (100 to 599) and copies the lines. */
  public FtpReply {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply has at least one line");
    }
  }

  /** A one-line reply. */
  public static FtpReply of(int code, String text) {
    return new FtpReply(code, List.of(text));
  }

  /** A multi-line reply of these lines, the first and last without the code. */
  public static FtpReply multi(int code, List<String> lines) {
    return new FtpReply(code, lines);
  }

  /** The text of the first line. */
  public String text() {
    return lines.get(0);
  }

  /** Whether the code is 1xx: more replies follow. */
  public boolean isPreliminary() {
    return code < 200;
  }

  /** Whether the code is 1xx, 2xx or 3xx. */
  public boolean isPositive() {
    return code < 400;
  }

  /** The reply as sent on the wire, with CRLF line ends. */
  public String toWire() {
    var out = new StringBuilder(32 * lines.size());
    int last = lines.size() - 1;
    for (int i = 0; i < last; i++) {
      String line = lines.get(i);
      if (i == 0) {
        out.append(code).append('-').append(escape(line));
      } else if (startsWithDigit(line)) {
        // a middle line must not look like the reply's last line (RFC 959 4.2)
        out.append(' ').append(escape(line));
      } else {
        out.append(escape(line));
      }
      out.append("\r\n");
    }
    return out.append(code).append(' ').append(escape(lines.get(last))).append("\r\n").toString();
  }

  /**
   * A line as it may go on the wire: a CR inside it becomes CR NUL (RFC 959, for path names) and an
   * LF becomes NUL (as vsftpd does), so that a file name holding CR LF can neither end a reply
   * early nor inject one. Names cannot hold NUL, so the escape is unambiguous.
   */
  public static String escape(String line) {
    if (line.indexOf('\r') < 0 && line.indexOf('\n') < 0) {
      return line;
    }
    var out = new StringBuilder(line.length() + 8);
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      switch (c) {
        case '\r' -> out.append("\r\0");
        case '\n' -> out.append('\0');
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean startsWithDigit(String line) {
    return !line.isEmpty() && Character.isDigit(line.charAt(0));
  }
}
