package dev.keyhole.ftp.alg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An upstream server by script, for replies no real server would send on request: it greets,
 * logs anyone in, answers each verb given with its replies in order ({@code 500 no more} once
 * they run out), and {@code 200 ok} to anything else. One connection.
 */
final class ScriptedServer implements AutoCloseable {

  private final ServerSocket socket;

  private ScriptedServer(ServerSocket socket) {
    this.socket = socket;
  }

  static ScriptedServer start(Map<String, List<String>> script) throws IOException {
    var socket = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
    var replies = new HashMap<String, ArrayDeque<String>>();
    script.forEach((verb, lines) -> replies.put(verb, new ArrayDeque<>(lines)));
    var thread = new Thread(() -> {
      try (var s = socket.accept();
          var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
          var out = s.getOutputStream()) {
        out.write("220 scripted\r\n".getBytes(StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
          String verb = line.split(" ")[0].toUpperCase(Locale.ROOT);
          String reply = switch (verb) {
            case "USER" -> "331 password\r\n";
            case "PASS" -> "230 in\r\n";
            case "QUIT" -> "221 bye\r\n";
            default -> {
              var queue = replies.get(verb);
              yield queue == null ? "200 ok\r\n" : queue.isEmpty() ? "500 no more\r\n" : queue.poll();
            }
          };
          out.write(reply.getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (verb.equals("QUIT")) {
            return;
          }
        }
      } catch (IOException e) {
        // the test is over
      }
    }, "scripted-ftp-server");
    thread.setDaemon(true);
    thread.start();
    return new ScriptedServer(socket);
  }

  int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
