package dev.keyhole.ftp.server.data;

import dev.keyhole.ftp.transport.DataConnection;
import dev.keyhole.ftp.transport.DataInbound;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transfer in progress on a data connection: what ABOR stops and STAT reports on. Its fields are
 * safe to read from any thread.
 */
public final class Transfer {

  private final DataConnection connection;
  private final String description;
  private final AtomicLong received = new AtomicLong();
  private volatile boolean aborted;

  public Transfer(DataConnection connection, String description) {
    this.connection = connection;
    this.description = description;
  }

  public DataConnection connection() {
    return connection;
  }

  /** What the client sends on the data connection. */
  public DataInbound inbound() {
    return connection.inbound();
  }

  /** What is being transferred, for STAT: {@code RETR /pub/file.iso}. */
  public String description() {
    return description;
  }

  /**
   * Bytes moved so far: those sent to the client as they left (counted by the connection), plus
   * those received and written to the file.
   */
  public long bytes() {
    return received.get() + connection.bytesSent();
  }

  /** Counts bytes of an upload once they are written to the file. */
  public void addReceived(long n) {
    received.addAndGet(n);
  }

  public boolean aborted() {
    return aborted;
  }

  /**
   * Stops the transfer by resetting its data connection (a reset, not an end, so that a receiver
   * or a relay in between does not take a transfer cut short for a whole one); the transfer then
   * answers 426.
   */
  public void abort() {
    aborted = true;
    connection.abort();
  }
}
