package dev.keyhole.ftp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes what a server sends into {@link ReplyBlock}s, each kept as the bytes that arrived, on
 * the one {@link ReplySplitter}: what a gateway does not translate passes through unchanged. Lines
 * are read as ISO-8859-1, so that every byte survives; Telnet negotiation is refused.
 */
public final class ReplyBlockDecoder extends ReplySplitter {

  /** A decoder with lines up to 8192 bytes and replies up to 100,000 lines. */
  public ReplyBlockDecoder() {
    super(8192, 100_000, StandardCharsets.ISO_8859_1, true);
  }

  @Override
  protected Object reply(int code, List<String> lines, byte[] bytes, int length) {
    return new ReplyBlock(code, lines, Arrays.copyOf(bytes, length));
  }
}
