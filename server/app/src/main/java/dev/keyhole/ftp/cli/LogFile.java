package dev.keyhole.ftp.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the server's log goes and how it reads: standard error or a file ({@code --log-file},
 * reopened on SIGHUP so that logrotate can move it away), as text with the date and zone on each
 * line or as one JSON object per line ({@code --log-format json}, logback's JSON encoder).
 */
final class LogFile {

  private static final Logger log = LoggerFactory.getLogger(LogFile.class);
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

  private final @Nullable FileAppender<ILoggingEvent> file;

  private LogFile(@Nullable FileAppender<ILoggingEvent> file) {
    this.file = file;
  }

  /**
   * Sends the log to {@code file} (appended, its directory made if missing) or, when null, to
   * standard error, in {@code format} ({@code text} or {@code json}); {@link IllegalArgumentException}
   * for a file that cannot be written or an unknown format.
   */
  static LogFile open(@Nullable Path file, String format) {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var encoder = encoder(context, format);
    OutputStreamAppender<ILoggingEvent> appender;
    FileAppender<ILoggingEvent> fileAppender = null;
    if (file != null) {
      writable(file);
      fileAppender = new FileAppender<>();
      fileAppender.setFile(file.toString());
      fileAppender.setAppend(true);
      appender = fileAppender;
    } else if ("text".equals(format)) {
      return new LogFile(null); // logback.xml's own appender: standard error, text
    } else {
      var console = new ConsoleAppender<ILoggingEvent>();
      console.setTarget("System.err");
      appender = console;
    }
    appender.setContext(context);
    appender.setName("KEYHOLE");
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalArgumentException("--log-file " + file + ": cannot be opened");
    }
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.detachAppender("STDERR");
    return new LogFile(fileAppender);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    Encoder<ILoggingEvent> encoder = switch (format.toLowerCase(Locale.ROOT)) {
      case "text" -> {
        var text = new PatternLayoutEncoder();
        text.setPattern(PATTERN);
        yield text;
      }
      case "json" -> {
        // one object per line: time (epoch ms), level, thread, logger and the formatted message
        var json = new JsonEncoder();
        json.setWithFormattedMessage(true);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithContext(false);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithMDC(false);
        yield json;
      }
      default -> throw new IllegalArgumentException("--log-format " + format + ": text or json");
    };
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private static void writable(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--log-file " + file + ": " + e.getMessage());
    }
    if (Files.isDirectory(file) || (Files.exists(file) && !Files.isWritable(file))) {
      throw new IllegalArgumentException("--log-file " + file + ": not a writable file");
    }
  }

  /** Closes the file and opens it again by name: after logrotate moved it, a new file. */
  void reopen() {
    if (file == null) {
      log.info("SIGHUP: no log file to reopen (logging to standard error)");
      return;
    }
    file.stop();
    file.start();
    log.info("log file reopened: {}", file.getFile());
  }
}
