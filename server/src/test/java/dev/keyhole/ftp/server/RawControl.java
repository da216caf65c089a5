package dev.keyhole.ftp.server;

import dev.keyhole.ftp.protocol.FtpReply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/** A control connection driven by hand, for checking replies byte for byte. */
public final class RawControl implements AutoCloseable {

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  public RawControl(String host, int port) throws IOException {
    this(null, host, port);
  }

  /** A connection from {@code localHost} (a loopback address such as 127.0.0.2; null: any). */
  public RawControl(String localHost, String host, int port) throws IOException {
    socket = new Socket();
    if (localHost != null) {
      socket.bind(new InetSocketAddress(localHost, 0));
    }
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(10_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  public static RawControl connect(TestServer server) throws IOException {
    return new RawControl(server.host(), server.port());
  }

  /** Connects, reads the greeting and logs in as the test user. */
  public static RawControl login(TestServer server) throws IOException {
    var c = connect(server);
    c.expect(220);
    c.send("USER " + TestServer.USER).expect(331);
    c.send("PASS " + TestServer.PASSWORD).expect(230);
    return c;
  }

  public RawControl send(String line) throws IOException {
    return sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  public RawControl sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one reply (multi-line replies as one), or null when the server closed the connection. */
  public FtpReply reply() throws IOException {
    return readReply(in);
  }

  /** Reads one reply from {@code in}, multi-line replies as one; null at the end of the stream. */
  public static FtpReply readReply(BufferedReader in) throws IOException {
    String first = in.readLine();
    if (first == null) {
      return null;
    }
    int code = Integer.parseInt(first.substring(0, 3));
    var lines = new ArrayList<String>();
    lines.add(first.length() > 4 ? first.substring(4) : "");
    if (first.length() > 3 && first.charAt(3) == '-') {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(code + " ")) {
          lines.add(line.substring(4));
          break;
        }
        lines.add(line);
      }
    }
    return new FtpReply(code, lines);
  }

  /** Reads a reply and checks its code. */
  public FtpReply expect(int code) throws IOException {
    return checked(reply(), code);
  }

  /** The reply, if it has this code; an AssertionError naming what came instead otherwise. */
  public static FtpReply checked(FtpReply r, int code) {
    if (r == null || r.code() != code) {
      throw new AssertionError("expected " + code + " but got " + (r == null ? "end of stream" : r.code() + " " + r.lines()));
    }
    return r;
  }

  /** The raw next line, for byte-exact checks. */
  public String line() throws IOException {
    return in.readLine();
  }

  /** Whether the server has closed the connection (reads until end of stream, within the timeout). */
  public boolean closedByServer() throws IOException {
    try {
      while (in.readLine() != null) {
        // drain
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  /** Resets the control connection (RST), as a client that crashed or was killed. */
  public void resetConnection() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** The raw stream, for reading replies byte for byte; do not mix with {@link #reply()}. */
  public java.io.InputStream rawInput() throws IOException {
    return socket.getInputStream();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
