package dev.keyhole.ftp.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * A one-line progress display on standard error, shown only on a terminal and only once a
 * transfer has run for a second, so that quick transfers and scripts see nothing.
 */
final class ProgressBar implements LongConsumer {

  private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean enabled;
  private final OptionalLong total;
  private final long start = System.nanoTime();
  private long lastDraw;
  private volatile long bytes;
  private boolean shown;

  ProgressBar(PrintStream out, boolean enabled, OptionalLong total) {
    this.out = out;
    this.enabled = enabled;
    this.total = total;
  }

  static ProgressBar forTerminal(OptionalLong total) {
    return new ProgressBar(System.err, System.console() != null, total);
  }

  @Override
  public synchronized void accept(long transferred) {
    bytes = transferred;
    long now = System.nanoTime();
    if (!enabled || now - start < SHOW_AFTER_NANOS || now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    shown = true;
    out.print("\r" + line(transferred, now - start) + "   ");
    out.flush();
  }

  synchronized void finish() {
    if (shown) {
      out.println("\r" + line(bytes, System.nanoTime() - start) + "   ");
    }
  }

  String line(long transferred, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
    String rate = mib(transferred / seconds) + "/s";
    if (total.isPresent() && total.getAsLong() > 0) {
      long all = total.getAsLong();
      int percent = (int) Math.min(100, transferred * 100 / all);
      int filled = percent / 5;
      return String.format(Locale.ROOT, "[%s%s] %3d%%  %s of %s  %s", "#".repeat(filled), " ".repeat(20 - filled),
          percent, mib(transferred), mib(all), rate);
    }
    return String.format(Locale.ROOT, "%s  %s", mib(transferred), rate);
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024 * 1024));
  }
}
