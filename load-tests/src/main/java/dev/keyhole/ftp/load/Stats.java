package dev.keyhole.ftp.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What one run of a scenario against one peer measures: latencies, operations, bytes, errors. */
final class Stats {

  private final Recorder latencies = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private final LongAdder operations = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final List<Long> perSecond = new ArrayList<>();
  private long lastSampled;
  private long deadlineOperations = -1;
  private long deadlineBytes;

  /** One operation (a transfer, a session) that took {@code nanos} and moved {@code moved} bytes. */
  void operation(long nanos, long moved) {
    latencies.recordValue(Math.max(1, nanos / 1000));
    operations.increment();
    bytes.add(moved);
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  long operations() {
    return operations.sum();
  }

  long bytes() {
    return bytes.sum();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> errors() {
    var out = new TreeMap<String, Long>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * The end of a timed run's duration: the rates count what was done by now. Operations still in
   * flight finish (or time out) afterwards and would otherwise stretch the run: a server whose
   * last operations hang for 30 s would look slower than it was while it served.
   */
  synchronized void markDeadline() {
    deadlineOperations = operations.sum();
    deadlineBytes = bytes.sum();
  }

  /** Operations completed by the deadline, or all of them when there was none. */
  synchronized long operationsForRate() {
    return deadlineOperations >= 0 ? deadlineOperations : operations.sum();
  }

  synchronized long bytesForRate() {
    return deadlineOperations >= 0 ? deadlineBytes : bytes.sum();
  }

  synchronized boolean deadlineReached() {
    return deadlineOperations >= 0;
  }

  /** Called once a second: the operations completed in the second that ended. */
  synchronized void sampleSecond() {
    long now = operations.sum();
    perSecond.add(now - lastSampled);
    lastSampled = now;
  }

  /** Operations completed in each second of the run. */
  synchronized List<Long> perSecond() {
    return List.copyOf(perSecond);
  }

  /** All latencies recorded so far, in microseconds. */
  synchronized Histogram histogram() {
    total.add(latencies.getIntervalHistogram());
    return total.copy();
  }
}
