package dev.keyhole.ftp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One reply from the server, single- or multi-line, as the bytes that arrived.
 *
 * @param code the reply code
 * @param lines each line without its terminator, ISO-8859-1
 * @param raw every line with its terminator
 */
public record ReplyBlock(int code, List<String> lines, byte[] raw) {

  /** Copies the lines. */
  public ReplyBlock {
    lines = List.copyOf(lines);
  }

  /** A one-line reply the ALG writes itself. */
  public static ReplyBlock of(int code, String text) {
    String line = code + " " + text;
    return new ReplyBlock(code, List.of(line), (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A multi-line reply made of these lines (the first and last carry the code). */
  public static ReplyBlock ofLines(int code, List<String> lines) {
    var sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append("\r\n");
    }
    return new ReplyBlock(code, lines, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The text of the reply: every line, without the code of the first and last. */
  public String text() {
    var parts = new ArrayList<String>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      boolean coded = (i == 0 || i == lines.size() - 1) && l.length() >= 3 && l.startsWith(String.valueOf(code));
      parts.add(coded ? (l.length() > 4 ? l.substring(4) : "") : l);
    }
    return String.join("\n", parts);
  }

  /** Whether the code is 1xx: more replies follow. */
  public boolean isPreliminary() {
    return code >= 100 && code < 200;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplyBlock other && code == other.code && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return String.join(" / ", lines);
  }
}
