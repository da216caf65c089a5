package dev.keyhole.ftp.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects what is logged at ERROR while it is attached, so that a test can assert that failure
 * paths (resets, timeouts, aborts) log no ERROR and no stack trace.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<Logger> infoLoggers = new CopyOnWriteArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  /** Attaches a capture to the root logger. */
  public static LogCapture attach() {
    var capture = new LogCapture();
    var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    return capture;
  }

  /**
   * Captures the INFO lines of these classes' loggers too (the tests' configuration keeps INFO
   * off), without sending them to the console; {@link #close()} puts the loggers back.
   */
  public static LogCapture attachInfo(Class<?>... classes) {
    var capture = attach();
    for (var type : classes) {
      var logger = (Logger) LoggerFactory.getLogger(type);
      logger.setLevel(Level.INFO);
      logger.setAdditive(false);
      logger.addAppender(capture);
      capture.infoLoggers.add(logger);
    }
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
      lines.add(event.getFormattedMessage());
    }
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      errors.add(event.getLoggerName() + ": " + event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName()
              + ": " + event.getThrowableProxy().getMessage()));
    }
  }

  /** The messages logged at INFO and above so far, by any thread of the JVM. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** What was logged at ERROR so far. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() {
    var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(this);
    for (var logger : infoLoggers) {
      logger.detachAppender(this);
      logger.setAdditive(true);
      logger.setLevel(null);
    }
    stop();
  }
}
