package dev.keyhole.ftp.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The data side of single-port FTP, by hand: connect to the control port, read 220, send SPDT. */
public final class SpdtClient {

  /** A 227 reply to SPSV: text without parentheses, then the identifier in them (draft section 3.1). */
  public static final Pattern SPSV_REPLY = Pattern.compile("[^()]* \\(([!-~&&[^():]]{1,32})\\)");

  private SpdtClient() {}

  public static String identifier(RawControl control) throws IOException {
    var reply = control.send("SPSV").expect(227);
    var m = SPSV_REPLY.matcher(reply.text());
    if (!m.matches()) {
      throw new AssertionError("not an SPSV reply: " + reply.text());
    }
    return m.group(1);
  }

  /** Opens a data connection for the identifier; returns the socket positioned after {@code 200 DATA}. */
  public static Socket open(TestServer server, String identifier) throws IOException {
    var socket = new Socket(server.host(), server.port());
    socket.setSoTimeout(10_000);
    String greeting = readLine(socket.getInputStream());
    if (!greeting.startsWith("220")) {
      throw new AssertionError("expected the 220 greeting, got " + greeting);
    }
    socket.getOutputStream().write(("SPDT " + identifier + "\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    String reply = readLine(socket.getInputStream());
    if (!reply.equals("200 DATA")) {
      throw new AssertionError("expected 200 DATA, got " + reply);
    }
    return socket;
  }

  /** Reads one CRLF-ended line byte by byte, so that no data after it is consumed. */
  public static String readLine(InputStream in) throws IOException {
    var out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      out.write(b);
    }
    if (b == -1 && out.size() == 0) {
      return null;
    }
    String line = out.toString(StandardCharsets.UTF_8);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
