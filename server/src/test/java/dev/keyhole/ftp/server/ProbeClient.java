package dev.keyhole.ftp.server;

import dev.keyhole.ftp.protocol.FtpReply;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client driven by hand, socket by socket, for the failure paths a library client hides: every
 * data-channel kind (PASV, EPSV, PORT, EPRT, SPSV), clear or under TLS (AUTH TLS, PROT P), and a
 * data socket the test can read slowly, write slowly, abandon or reset.
 */
public final class ProbeClient implements AutoCloseable {

  /** The data-channel commands. */
  public enum Kind { PASV, EPSV, PORT, EPRT, SPSV }

  private static final Pattern PASV_REPLY = Pattern.compile(".*\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\).*");
  private static final Pattern EPSV_REPLY = Pattern.compile(".*\\(\\|\\|\\|(\\d+)\\|\\).*");

  private final String host;
  private final int port;
  private final boolean tls;
  private final SSLSocketFactory tlsFactory = trustingFactory();
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  private ProbeClient(String host, int port, boolean tls) throws IOException {
    this.host = host;
    this.port = port;
    this.tls = tls;
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(10_000);
    streams();
  }

  /**
   * Connects, reads the greeting, and under TLS starts it (AUTH TLS, PBSZ 0, PROT P); then logs in
   * and switches to binary.
   */
  public static ProbeClient login(String host, int port, boolean tls, String user, String password) throws IOException {
    var c = new ProbeClient(host, port, tls);
    c.expect(220);
    if (tls) {
      c.send("AUTH TLS").expect(234);
      var secured = (SSLSocket) c.tlsFactory.createSocket(c.socket, host, port, true);
      secured.setUseClientMode(true);
      secured.startHandshake();
      c.socket = secured;
      c.streams();
      c.send("PBSZ 0").expect(200);
      c.send("PROT P").expect(200);
    }
    c.send("USER " + user).expect(331);
    c.send("PASS " + password).expect(230);
    c.send("TYPE I").expect(200);
    return c;
  }

  private void streams() throws IOException {
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  public ProbeClient send(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** Reads one reply (multi-line replies as one), or null once the server closed the connection. */
  public FtpReply reply() throws IOException {
    return RawControl.readReply(in);
  }

  public FtpReply expect(int code) throws IOException {
    return RawControl.checked(reply(), code);
  }

  /**
   * Prepares a data channel of this kind; for PORT and EPRT with {@code unreachable}, names a port
   * where nothing listens.
   */
  public DataEndpoint prepare(Kind kind, boolean unreachable) throws IOException {
    return switch (kind) {
      case PASV -> {
        var m = PASV_REPLY.matcher(send("PASV").expect(227).text());
        if (!m.matches()) {
          throw new AssertionError("unreadable 227");
        }
        int p = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
        yield new DataEndpoint(() -> connect(p));
      }
      case EPSV -> {
        var m = EPSV_REPLY.matcher(send("EPSV").expect(229).text());
        if (!m.matches()) {
          throw new AssertionError("unreadable 229");
        }
        int p = Integer.parseInt(m.group(1));
        yield new DataEndpoint(() -> connect(p));
      }
      case SPSV -> {
        var m = SpdtClient.SPSV_REPLY.matcher(send("SPSV").expect(227).text());
        if (!m.matches()) {
          throw new AssertionError("unreadable SPSV reply");
        }
        String id = m.group(1);
        yield new DataEndpoint(() -> spdt(id));
      }
      case PORT, EPRT -> {
        InetAddress local = socket.getLocalAddress();
        var listener = new ServerSocket();
        listener.setReceiveBufferSize(16 * 1024);
        listener.bind(new InetSocketAddress(local, 0), 1);
        listener.setSoTimeout(10_000);
        int p = listener.getLocalPort();
        if (unreachable) {
          listener.close();
        }
        String command = kind == Kind.PORT
            ? "PORT " + local.getHostAddress().replace('.', ',') + "," + (p >> 8) + "," + (p & 0xff)
            : "EPRT |" + (local instanceof Inet6Address ? 2 : 1) + "|" + local.getHostAddress() + "|" + p + "|";
        send(command).expect(200);
        yield new DataEndpoint(() -> {
          try (listener) {
            return listener.accept();
          }
        });
      }
    };
  }

  private Socket connect(int dataPort) throws IOException {
    var s = new Socket();
    s.setReceiveBufferSize(16 * 1024);
    s.connect(new InetSocketAddress(host, dataPort), 5000);
    return s;
  }

  private Socket spdt(String identifier) throws IOException {
    var s = connect(port);
    s.setSoTimeout(10_000);
    var line = SpdtClient.readLine(s.getInputStream());
    if (line == null || !line.startsWith("220")) {
      throw new AssertionError("expected 220 on the SPDT connection, got " + line);
    }
    s.getOutputStream().write(("SPDT " + identifier + "\r\n").getBytes(StandardCharsets.US_ASCII));
    line = SpdtClient.readLine(s.getInputStream());
    if (!"200 DATA".equals(line)) {
      throw new AssertionError("expected 200 DATA, got " + line);
    }
    return s;
  }

  /** Opens the data socket: connects (passive kinds) or accepts (active kinds). */
  @FunctionalInterface
  interface Opener {
    Socket open() throws IOException;
  }

  /** A data channel prepared on the control connection, opened once the transfer command is sent. */
  public final class DataEndpoint {
    private final Opener opener;
    private Socket raw;

    DataEndpoint(Opener opener) {
      this.opener = opener;
    }

    /** The data socket, under TLS where PROT P is on (the client is the TLS client, RFC 4217). */
    public Socket open() throws IOException {
      Socket s = opener.open();
      raw = s;
      s.setSoTimeout(10_000);
      if (!tls) {
        return s;
      }
      var secured = (SSLSocket) tlsFactory.createSocket(s, host, port, true);
      secured.setUseClientMode(true);
      secured.startHandshake();
      return secured;
    }

    /**
     * Resets the data connection (RST) under whatever runs on it: closing a TLS socket would send
     * close_notify first, which is a clean end, not a reset.
     */
    public void reset() throws IOException {
      raw.setSoLinger(true, 0);
      raw.close();
    }
  }

  /** Reads to the end of the stream, at most {@code bytesPerSecond} (0: as fast as it comes). */
  public static byte[] readAll(Socket data, long bytesPerSecond) throws IOException {
    var buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    InputStream input = data.getInputStream();
    long start = System.nanoTime();
    int n;
    while ((n = input.read(chunk)) != -1) {
      buffer.write(chunk, 0, n);
      pace(buffer.size(), bytesPerSecond, start);
    }
    return buffer.toByteArray();
  }

  /** Reads {@code count} bytes or up to the end of the stream. */
  public static byte[] readSome(Socket data, int count) throws IOException {
    byte[] bytes = data.getInputStream().readNBytes(count);
    return bytes;
  }

  /** Writes all of {@code bytes}, at most {@code bytesPerSecond} (0: at once). */
  public static void writeAll(Socket data, byte[] bytes, long bytesPerSecond) throws IOException {
    var output = data.getOutputStream();
    long start = System.nanoTime();
    int chunk = 8192;
    for (int off = 0; off < bytes.length; off += chunk) {
      int n = Math.min(chunk, bytes.length - off);
      output.write(bytes, off, n);
      pace(off + n, bytesPerSecond, start);
    }
    output.flush();
  }

  private static void pace(long done, long bytesPerSecond, long start) {
    if (bytesPerSecond <= 0) {
      return;
    }
    long due = start + done * 1_000_000_000L / bytesPerSecond;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the server closed the control connection (within the socket timeout). */
  public boolean closedByServer() throws IOException {
    try {
      while (in.readLine() != null) {
        // drain
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static SSLSocketFactory trustingFactory() {
    return trustingContext().getSocketFactory();
  }

  /** A TLS context that trusts any certificate: the tests' servers have self-signed ones. */
  public static SSLContext trustingContext() {
    try {
      var context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
