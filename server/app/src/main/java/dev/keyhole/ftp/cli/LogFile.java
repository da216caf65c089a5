package dev.keyhole.ftp.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's log in a file ({@code --log-file}) instead of standard error, reopened on SIGHUP so
 * that logrotate can move it away: after a rotation the next lines go to a new file of the same
 * name. Lines carry the date and the zone.
 */
final class LogFile {

  private static final Logger log = LoggerFactory.getLogger(LogFile.class);
  private static final String NAME = "KEYHOLE_FILE";

  private final FileAppender<ILoggingEvent> appender;

  private LogFile(FileAppender<ILoggingEvent> appender) {
    this.appender = appender;
  }

  /**
   * Sends every log line to {@code file} (appended, its directory made if missing) and none to
   * standard error; {@link IllegalArgumentException} when the file cannot be written.
   */
  static LogFile open(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      if (Files.isDirectory(file) || (Files.exists(file) && !Files.isWritable(file))) {
        throw new IllegalArgumentException("--log-file " + file + ": not a writable file");
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--log-file " + file + ": " + e.getMessage());
    }
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n");
    encoder.start();
    var appender = new FileAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.setName(NAME);
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalArgumentException("--log-file " + file + ": cannot be opened");
    }
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.detachAppender("STDERR");
    return new LogFile(appender);
  }

  /** Closes the file and opens it again by name: after logrotate moved it, a new file. */
  void reopen() {
    appender.stop();
    appender.start();
    log.info("log file reopened: {}", appender.getFile());
  }
}
