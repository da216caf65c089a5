package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyhole serve} as its own process, as an operator runs it: the log as JSON lines in a
 * file, the transfer log, and SIGHUP (logrotate, {@code systemctl reload}) reopening both while
 * the server goes on serving; SIGTERM stops it.
 */
class ServeProcessTest {

  @TempDir Path tmp;

  @Test
  void jsonLogAndXferlogAreReopenedOnSighupWhileTheServerServesOn() throws Exception {
    var log = tmp.resolve("log/keyhole.log");
    var xferlog = tmp.resolve("log/xferlog");
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the application's logging configuration, not the tests' (which keeps INFO off)
    var logback = Path.of(ServeProcessTest.class.getClassLoader().getResource("logback.xml").toURI());
    var process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-Dlogback.configurationFile=" + logback, "-cp",
        System.getProperty("java.class.path"), KeyholeCli.class.getName(), "serve", "--port", "0",
        "--root", tmp.resolve("root").toString(), "--user", "u:env:KEYHOLE_TEST_PASSWORD", "--log-format", "json",
        "--log-file", log.toString(), "--xferlog", xferlog.toString(), "--failed-login-delay", "0s")
        .redirectErrorStream(true);
    process.environment().put("KEYHOLE_TEST_PASSWORD", "p4ss");
    var server = process.start();
    try {
      var out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      var listening = Pattern.compile("listening on ftp://127\\.0\\.0\\.1:(\\d+)/");
      for (String line; port < 0 && (line = out.readLine()) != null; ) {
        var m = listening.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertThat(port).as("the server printed its port").isPositive();
      transfer(port, "one.txt");
      waitFor(xferlog, 2);

      Files.move(log, tmp.resolve("log/keyhole.log.1"));
      Files.move(xferlog, tmp.resolve("log/xferlog.1"));
      new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor(10, TimeUnit.SECONDS);
      transfer(port, "two.txt");
      waitFor(xferlog, 2);
      assertThat(server.isAlive()).as("SIGHUP does not stop the server").isTrue();

      var mapper = new ObjectMapper();
      var messages = new java.util.ArrayList<String>();
      for (var file : List.of(tmp.resolve("log/keyhole.log.1"), log)) {
        for (String line : Files.readAllLines(file)) {
          var json = mapper.readTree(line);
          assertThat(json.has("timestamp") && json.has("level")).as(line).isTrue();
          messages.add(json.get("formattedMessage").asText());
        }
      }
      assertThat(messages).anyMatch(m -> m.matches("session \\d+ from 127\\.0\\.0\\.1:\\d+: u logged in"))
          .anyMatch(m -> m.startsWith("log file reopened"));
      // each transfer's upload then download, each in the file that was open at the time
      assertThat(Files.readAllLines(tmp.resolve("log/xferlog.1"))).hasSize(2)
          .anyMatch(l -> l.contains("/one.txt b _ i r u ftp 0 * c")).anyMatch(l -> l.contains("/one.txt b _ o r u"));
      assertThat(Files.readAllLines(xferlog)).hasSize(2)
          .anyMatch(l -> l.contains("/two.txt b _ i r u ftp 0 * c")).anyMatch(l -> l.contains("/two.txt b _ o r u"));
    } finally {
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("SIGTERM stops it").isTrue();
    }
  }

  @Test
  void sighupReloadsTheConfigurationWithoutCuttingARunningTransfer() throws Exception {
    var root = Files.createDirectories(tmp.resolve("root"));
    byte[] big = new byte[3 << 20];
    new java.util.Random(5).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    var config = tmp.resolve("keyhole.yaml");
    String hash = dev.keyhole.ftp.server.auth.PasswordHash.hash("old-pw", 4);
    Files.writeString(config, "root: " + root + "\nbanner: Before.\ndownloadRate: 1m\nusers:\n  - name: old\n"
        + "    password: \"" + hash + "\"\n");
    var server = start(tmp.resolve("reload.log"), "--config", config.toString());
    try {
      int port = port(server);
      // a download of three seconds at 1 MiB/s, running while the configuration changes under it
      var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
      var download = pool.submit(() -> {
        var ftp = login(port, "old", "old-pw");
        var out = new ByteArrayOutputStream();
        boolean ok = ftp.retrieveFile("big.bin", out);
        ftp.logout();
        ftp.disconnect();
        return ok ? out.toByteArray() : null;
      });
      Thread.sleep(800);
      Files.writeString(config, "root: " + root + "\nbanner: After.\ndownloadRate: 1m\nusers:\n  - name: fresh\n"
          + "    password: \"" + dev.keyhole.ftp.server.auth.PasswordHash.hash("new-pw", 4) + "\"\n");
      hangup(server);
      Thread.sleep(500);
      login(port, "fresh", "new-pw").disconnect();
      var probe = new FTPClient();
      probe.connect("127.0.0.1", port);
      assertThat(probe.getReplyString()).contains("After.");
      assertThat(probe.login("old", "old-pw")).as("the removed user").isFalse();
      probe.disconnect();
      assertThat(download.get(30, TimeUnit.SECONDS)).as("the download that ran through the reload").isEqualTo(big);

      // a file that does not check is refused, and the running configuration stays
      Files.writeString(config, "root: " + root + "\nmaxSessions: 0\n");
      hangup(server);
      Thread.sleep(500);
      login(port, "fresh", "new-pw").disconnect();
      var lines = Files.readAllLines(tmp.resolve("reload.log"));
      assertThat(lines).anyMatch(l -> l.contains("configuration reloaded from " + config))
          .anyMatch(l -> l.contains("configuration not reloaded from " + config) && l.contains("maxSessions must be at least 1"));
    } finally {
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * The hosting controls as curl meets them against {@code keyhole serve} in its own process: a
   * measured rate, 552 beyond a quota with nothing left, a reload under three running downloads
   * that all arrive whole, the xferlog parsed, and 421 once an address is banned.
   */
  @Test
  void curlMeetsRatesQuotaReloadXferlogAndBans() throws Exception {
    var curl = dev.keyhole.ftp.server.ExternalTool.require("curl").toString();
    var root = Files.createDirectories(tmp.resolve("root"));
    byte[] big = new byte[4 << 20];
    new java.util.Random(9).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    Files.write(tmp.resolve("up.bin"), new byte[3 << 20]);
    var config = tmp.resolve("keyhole.yaml");
    String hash = dev.keyhole.ftp.server.auth.PasswordHash.hash("pw", 4);
    String yaml = "root: " + root + "\ndownloadRate: 2m\nuserQuotaBytes: 6m\nbanAfter: 3\nbanFor: 30s\n"
        + "failedLoginDelay: 0s\nusers:\n  - name: u\n    password: \"" + hash + "\"\n";
    Files.writeString(config, yaml + "banner: First.\n");
    var xferlog = tmp.resolve("xferlog");
    var server = start(tmp.resolve("ops.log"), "--config", config.toString(), "--xferlog", xferlog.toString());
    try {
      String url = "ftp://u:pw@127.0.0.1:" + port(server) + "/";
      // the rate of the transfer itself, as curl times it: from the transfer's start (after login
      // and EPSV, which a fresh JVM takes its time over) to its end; %{speed_download} counted those
      var down = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "-o", "down.bin", "-w",
          "%{size_download} %{time_pretransfer} %{time_total}", url + "big.bin"));
      assertThat(down.exit()).as(down.output()).isZero();
      String[] timing = down.output().trim().split(" ");
      double rate = Double.parseDouble(timing[0]) / (Double.parseDouble(timing[2]) - Double.parseDouble(timing[1]));
      assertThat(rate).as(down.output()).isBetween(0.9 * (2 << 20), 1.1 * (2 << 20));
      // 4 MiB held and 3 more would pass 6 MiB: 552, and nothing left behind
      var up = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "-T", "up.bin", "-w",
          "%{response_code}", url + "up.bin"));
      assertThat(up.exit()).isNotZero();
      assertThat(up.output()).endsWith("552");
      try (var files = Files.list(root)) {
        assertThat(files.map(f -> f.getFileName().toString())).containsExactly("big.bin");
      }
      // three downloads of two seconds each, and a reload in the middle of them
      var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
      var runs = new java.util.ArrayList<java.util.concurrent.Future<dev.keyhole.ftp.server.ExternalTool.Result>>();
      for (int i = 0; i < 3; i++) {
        var name = "during" + i + ".bin";
        runs.add(pool.submit(() -> dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "-o", name,
            url + "big.bin"))));
      }
      Thread.sleep(700);
      Files.writeString(config, yaml + "banner: Second.\n");
      hangup(server);
      for (var run : runs) {
        assertThat(run.get(60, TimeUnit.SECONDS).exit()).isZero();
      }
      for (int i = 0; i < 3; i++) {
        assertThat(Files.readAllBytes(tmp.resolve("during" + i + ".bin"))).as("download %d through the reload", i)
            .isEqualTo(big);
      }
      assertThat(Files.readString(tmp.resolve("ops.log"))).contains("configuration reloaded from " + config);
      var banner = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "-v", url));
      assertThat(banner.output()).contains("220 Second.");
      // the xferlog, parsed: four downloads complete with every byte, the refused upload incomplete
      List<String> lines = List.of();
      for (int i = 0; i < 50 && lines.size() < 6; i++) {
        Thread.sleep(100);
        lines = Files.readAllLines(xferlog);
      }
      assertThat(lines.stream().filter(l -> l.matches(".* " + big.length + " " + root.resolve("big.bin") + " b _ o r u ftp 0 \\* c")))
          .hasSize(4);
      assertThat(lines).anyMatch(l -> l.matches(".* \\d+ " + root.resolve("up.bin") + " b _ i r u ftp 0 \\* i"));
      // wrong passwords ban the address: 421 before any greeting
      for (int i = 0; i < 3; i++) {
        dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "ftp://u:wrong@127.0.0.1:" + port(url) + "/"));
      }
      var banned = dev.keyhole.ftp.server.ExternalTool.run(tmp, List.of(curl, "-sS", "-w", "%{response_code}", url));
      assertThat(banned.exit()).isNotZero();
      assertThat(banned.output()).endsWith("421");
      assertThat(Files.readString(tmp.resolve("ops.log"))).contains("banned 127.0.0.1 until");
    } finally {
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static String port(String url) {
    return url.replaceAll(".*:(\\d+)/$", "$1");
  }

  private Process start(Path log, String... args) throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var logback = Path.of(ServeProcessTest.class.getClassLoader().getResource("logback.xml").toURI());
    var command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
        KeyholeCli.class.getName(), "serve", "--port", "0", "--log-file", log.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static int port(Process server) throws Exception {
    var out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    var listening = Pattern.compile("listening on ftp://127\\.0\\.0\\.1:(\\d+)/");
    for (String line; (line = out.readLine()) != null; ) {
      var m = listening.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("the server printed no port");
  }

  private static void hangup(Process server) throws Exception {
    new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor(10, TimeUnit.SECONDS);
  }

  private static FTPClient login(int port, String user, String password) throws Exception {
    var ftp = new FTPClient();
    ftp.connect("127.0.0.1", port);
    assertThat(ftp.login(user, password)).as("login as " + user).isTrue();
    ftp.enterLocalPassiveMode();
    ftp.setFileType(FTP.BINARY_FILE_TYPE);
    return ftp;
  }

  private static void transfer(int port, String name) throws Exception {
    var ftp = new FTPClient();
    ftp.connect("127.0.0.1", port);
    assertThat(ftp.login("u", "p4ss")).isTrue();
    ftp.enterLocalPassiveMode();
    ftp.setFileType(FTP.BINARY_FILE_TYPE);
    assertThat(ftp.storeFile(name, new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII)))).isTrue();
    var back = new ByteArrayOutputStream();
    assertThat(ftp.retrieveFile(name, back)).isTrue();
    ftp.logout();
    ftp.disconnect();
  }

  private static void waitFor(Path file, int minLines) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (Files.exists(file) && Files.readAllLines(file).size() >= minLines) {
        return;
      }
      Thread.sleep(50);
    }
  }
}
