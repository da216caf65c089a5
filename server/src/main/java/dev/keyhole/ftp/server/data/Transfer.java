package dev.keyhole.ftp.server.data;

import java.util.concurrent.atomic.AtomicLong;
import reactor.netty.Connection;

/**
 * A transfer in progress on a data connection: what ABOR stops and STAT reports on. Its fields are
 * safe to read from any thread.
 */
public final class Transfer {

  private final Connection connection;
  private final DataInbound inbound;
  private final String description;
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean aborted;

  public Transfer(Connection connection, String description) {
    this.connection = connection;
    this.inbound = inboundOf(connection);
    this.description = description;
  }

  public Connection connection() {
    return connection;
  }

  /** What the client sends on the data connection. */
  public DataInbound inbound() {
    return inbound;
  }

  /** What is being transferred, for STAT: {@code RETR /pub/file.iso}. */
  public String description() {
    return description;
  }

  public long bytes() {
    return bytes.get();
  }

  public void addBytes(long n) {
    bytes.addAndGet(n);
  }

  public void setBytes(long n) {
    bytes.set(n);
  }

  public boolean aborted() {
    return aborted;
  }

  /** Stops the transfer by closing its data connection; the transfer then answers 426. */
  public void abort() {
    aborted = true;
    connection.dispose();
  }

  /** The inbound handler every data connection gets when its channel is created. */
  public static DataInbound inboundOf(Connection connection) {
    var inbound = connection.channel().attr(DataInbound.KEY).get();
    if (inbound == null) {
      throw new IllegalStateException("a data connection without its inbound handler");
    }
    return inbound;
  }
}
