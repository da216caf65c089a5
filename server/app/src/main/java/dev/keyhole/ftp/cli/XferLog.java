package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.api.FtpEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The transfer log ({@code --xferlog FILE}) in the wu-ftpd and vsftpd {@code xferlog} format: one
 * line per file transfer, complete or not, with the bytes that really moved:
 * <pre>
 * Tue Dec  1 17:34:40 2026 2 192.0.2.7 3000000 /srv/keyhole/up.bin b _ i r alice ftp 0 * c
 * </pre>
 * time, seconds taken (at least 1), client address, bytes, file, {@code a}scii or {@code b}inary,
 * {@code _}, {@code o}utgoing or {@code i}ncoming, {@code a}nonymous or {@code r}eal user, user
 * name, {@code ftp}, {@code 0}, {@code *}, {@code c}omplete or {@code i}ncomplete. Written on a
 * thread of its own, never on an event loop; reopened on SIGHUP.
 */
final class XferLog {

  private static final Logger log = LoggerFactory.getLogger(XferLog.class);
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

  private final Path file;
  private final Scheduler writer = Schedulers.newSingle("keyhole-xferlog", true);
  private @Nullable BufferedWriter out;
  private final Disposable subscription;

  private XferLog(Path file, Flux<FtpEvent> events) throws IOException {
    this.file = file;
    this.out = open(file);
    this.subscription = events.ofType(FtpEvent.TransferCompleted.class)
        .publishOn(writer)
        .subscribe(this::write, e -> log.warn("xferlog stopped: {}", e.toString()));
  }

  /** Writes a line to {@code file} for every transfer in {@code events}. */
  static XferLog start(Path file, Flux<FtpEvent> events) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      return new XferLog(file, events);
    } catch (IOException e) {
      throw new IllegalArgumentException("--xferlog " + file + ": " + e.getMessage());
    }
  }

  /** The line for one transfer. */
  static String line(FtpEvent.TransferCompleted t, ZonedDateTime end) {
    long seconds = Math.max(1, (t.duration().toMillis() + 999) / 1000);
    return TIME.format(end) + " " + seconds + " " + AddressFormats.toText(t.remote().getAddress()) + " " + t.bytes()
        + " " + t.path() + " " + (t.ascii() ? "a" : "b") + " _ "
        + (t.direction() == FtpEvent.Direction.DOWNLOAD ? "o" : "i") + " " + (t.anonymous() ? "a" : "r") + " "
        + t.user() + " ftp 0 * " + (t.success() ? "c" : "i");
  }

  private synchronized void write(FtpEvent.TransferCompleted transfer) {
    try {
      if (out == null) {
        out = open(file);
      }
      out.write(line(transfer, ZonedDateTime.now(ZoneId.systemDefault())));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      log.warn("xferlog {}: {}", file, e.toString());
      out = null;
    }
  }

  /** Closes the file and opens it again by name (logrotate). */
  void reopen() {
    writer.schedule(() -> {
      synchronized (this) {
        try {
          if (out != null) {
            out.close();
          }
          out = open(file);
        } catch (IOException e) {
          log.warn("xferlog {}: {}", file, e.toString());
          out = null;
        }
      }
    });
  }

  void close() {
    subscription.dispose();
    writer.dispose();
  }

  private static BufferedWriter open(Path file) throws IOException {
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
