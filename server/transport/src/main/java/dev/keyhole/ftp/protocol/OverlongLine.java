package dev.keyhole.ftp.protocol;

/**
 * A command line that exceeded the decoder's limit; its bytes were discarded up to the next line end.
 *
 * @param limit the maximum line length in bytes that was exceeded
 */
public record OverlongLine(int limit) implements ControlInput {}
