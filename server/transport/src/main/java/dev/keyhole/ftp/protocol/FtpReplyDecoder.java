package dev.keyhole.ftp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a server's reply stream into {@link FtpReply} values on the one {@link ReplySplitter},
 * joining multi-line replies ({@code 123-first ... 123 last}) into one value. Lines inside a
 * multi-line reply are kept as sent (a leading space included), except the first and last, whose
 * code prefix is removed. Lines are UTF-8 (RFC 2640); Telnet negotiation is dropped unanswered.
 */
public final class FtpReplyDecoder extends ReplySplitter {

  /** A decoder with lines up to 8192 bytes and replies up to 100,000 lines. */
  public FtpReplyDecoder() {
    this(8192, 100_000);
  }

  /**
   * @param maxLineLength the longest reply line in bytes, without its CR LF
   * @param maxLines the most lines one reply may have
   */
  public FtpReplyDecoder(int maxLineLength, int maxLines) {
    super(maxLineLength, maxLines, StandardCharsets.UTF_8, false);
  }

  @Override
  protected Object reply(int code, List<String> lines, byte[] bytes, int length) {
    if (lines.size() == 1) {
      return FtpReply.of(code, textAfterCode(lines.get(0)));
    }
    var text = new ArrayList<String>(lines.size());
    text.add(textAfterCode(lines.get(0)));
    text.addAll(lines.subList(1, lines.size() - 1));
    text.add(textAfterCode(lines.get(lines.size() - 1)));
    return FtpReply.multi(code, text);
  }

  private static String textAfterCode(String line) {
    return line.length() > 4 ? line.substring(4) : "";
  }
}
