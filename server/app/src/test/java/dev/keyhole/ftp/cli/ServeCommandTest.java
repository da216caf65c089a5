package dev.keyhole.ftp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhole.ftp.config.Durations;
import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder;
import dev.keyhole.ftp.server.tls.TlsCertificate;
import dev.keyhole.ftp.transport.PortRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

  @TempDir Path tmp;

  @Test
  void bindAddressesParseBothFamiliesWithAndWithoutPort() throws Exception {
    assertThat(ServeCommand.bindAddress("127.0.0.1", 2121).getPort()).isEqualTo(2121);
    assertThat(ServeCommand.bindAddress("127.0.0.1:21", 2121).getPort()).isEqualTo(21);
    var v6 = ServeCommand.bindAddress("[::1]:990", 2121);
    assertThat(v6.getAddress()).isEqualTo(InetAddress.getByName("::1"));
    assertThat(v6.getPort()).isEqualTo(990);
    assertThat(ServeCommand.bindAddress("::1", 2121).getPort()).isEqualTo(2121);
  }

  @Test
  void durationsParseOperatorForms() {
    assertThat(Durations.parse("300")).isEqualTo(Duration.ofSeconds(300));
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration");
  }

  @Test
  void configFileReadsUsersAndOptionsAndRefusesUnknownKeys() throws Exception {
    var file = tmp.resolve("keyhole.yaml");
    Files.writeString(file, """
        bind: ["127.0.0.1", "[::1]:2122"]
        port: 2121
        maxSessions: 100
        passivePorts: 50000-50100
        idleTimeout: 2m
        users:
          - name: alice
            password: "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
            home: alice
            permissions: [read, write]
        """);
    var config = ConfigFile.read(file);
    assertThat(config.bind()).containsExactly("127.0.0.1", "[::1]:2122");
    assertThat(config.get(ServerOptions.MAX_SESSIONS)).isEqualTo(100);
    assertThat(config.users()).singleElement().satisfies(u -> {
      assertThat(u.name()).isEqualTo("alice");
      assertThat(u.permissions()).containsExactly("read", "write");
    });
    Files.writeString(file, "maxSesions: 3\n");
    assertThatThrownBy(() -> ConfigFile.read(file)).hasMessageContaining("maxSesions");
  }

  @Test
  void everyServerOptionIsAFlagAndAYamlKeyMadeFromItsDeclaration() throws Exception {
    var serve = KeyholeCli.commandLine().getSubcommands().get("serve").getCommandSpec();
    var yaml = new StringBuilder();
    for (var option : ServerOptions.ALL) {
      assertThat(serve.findOption(option.flag())).as(option.flag()).isNotNull();
      assertThat(serve.findOption(option.flag()).description()[0]).contains(option.description());
      if (option.defaultValue().isPresent()) {
        yaml.append(option.yamlKey()).append(": \"").append(defaultAsText(option)).append("\"\n");
      }
    }
    var file = ConfigFile.parse(yaml.toString());
    var server = new ServeCommand().configure(file).server().configuration();
    for (var option : ServerOptions.ALL) {
      assertThat(file.find(option)).as(option.yamlKey()).isEqualTo(option.defaultValue());
      assertThat(server.find(option)).as(option.name()).isEqualTo(option.defaultValue());
    }
  }

  @Test
  void theConfigurationDocumentNamesEveryDeclaredOption() throws Exception {
    String doc = Files.readString(Path.of("../../docs/configuration.md"));
    for (var option : ServeCommandTest.declared()) {
      assertThat(doc).as(option.flag()).contains("`" + option.flag() + (option.isSwitch() ? "`" : " " + option.label() + "`"));
      assertThat(doc).as(option.yamlPath()).contains("`" + option.yamlPath() + "`");
    }
  }

  /** The default as the option writes it (an empty list as an empty text, where the docs say "none"). */
  private static <T> String defaultAsText(dev.keyhole.ftp.config.ConfigOption<T> option) {
    return option.format(option.defaultValue().orElseThrow());
  }

  private static List<dev.keyhole.ftp.config.ConfigOption<?>> declared() {
    var all = new java.util.ArrayList<dev.keyhole.ftp.config.ConfigOption<?>>(ServeOptions.ALL);
    all.addAll(ServerOptions.ALL);
    return all;
  }

  @Test
  void theCommandLineOverridesTheFileWhichOverridesTheDefaults() throws Exception {
    var cli = KeyholeCli.commandLine();
    cli.parseArgs("serve", "--max-sessions", "7", "--data-timeout", "5s", "--keep-partial-uploads",
        "--passive-ports", "50000-50010", "--port", "0");
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
    var file = ConfigFile.parse("maxSessions: 3\nidleTimeout: 1m\nbanner: Hello\nport: 2121\n");
    var configured = serve.configure(file);
    var config = configured.server().configuration();
    assertThat(config.get(ServerOptions.MAX_SESSIONS)).isEqualTo(7);
    assertThat(config.get(ServerOptions.IDLE_TIMEOUT)).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.get(ServerOptions.BANNER)).isEqualTo("Hello");
    assertThat(config.get(ServerOptions.DATA_CONNECTION_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.get(ServerOptions.KEEP_PARTIAL_UPLOADS)).isTrue();
    assertThat(config.find(ServerOptions.PASSIVE_PORTS)).hasValue(new PortRange(50000, 50010));
    assertThat(config.get(ServerOptions.LOGIN_TIMEOUT)).isEqualTo(ServerOptions.LOGIN_TIMEOUT.defaultValue().orElseThrow());
    assertThat(configured.addresses()).extracting(InetSocketAddress::getPort).containsExactly(0);
  }

  @Test
  void aUserOfTheFileMayHaveItsOwnRatesAndQuota() throws Exception {
    String hash = dev.keyhole.ftp.server.auth.PasswordHash.hash("pw", 4);
    var file = ConfigFile.parse("users:\n  - name: alice\n    password: \"" + hash + "\"\n    downloadRate: 1m\n"
        + "    quotaBytes: 2g\n    quotaFiles: 1000\n");
    var server = new ServeCommand().configure(file).server().configuration();
    var user = server.authenticator().authenticate("alice", "pw", new InetSocketAddress("127.0.0.1", 1)).block()
        .orElseThrow();
    assertThat(user.limits().downloadRate()).hasValue(1L << 20);
    assertThat(user.limits().uploadRate()).isEmpty();
    assertThat(user.limits().quotaBytes()).hasValue(2L << 30);
    assertThat(user.limits().quotaFiles()).hasValue(1000);
    assertThatThrownBy(() -> ConfigFile.parse("users:\n  - name: bob\n    password: \"" + hash + "\"\n"
        + "    quotaBytes: lots\n")).hasMessage("users: user 'bob': user-quota-bytes: not a size: 'lots' (bytes: 500000, 512k, 10m, 2g)");
  }

  @Test
  void badValuesAreRefusedNamingTheFlagOrTheKey() {
    var cli = KeyholeCli.commandLine();
    cli.parseArgs("serve", "--max-sessions", "0");
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
    assertThatThrownBy(() -> serve.configure(ConfigFile.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--max-sessions must be at least 1, not 0");
    assertThatThrownBy(() -> ConfigFile.parse("maxSessions: many\n"))
        .hasMessage("maxSessions: not a whole number: 'many'");
    assertThatThrownBy(() -> ConfigFile.parse("idleTimeout: [1, 2]\n")).hasMessage("idleTimeout: expected a single value");
    assertThatThrownBy(() -> ConfigFile.parse("dataChannels: spsv,ftp\n")).hasMessageStartingWith("dataChannels: unknown data channel 'ftp'");
  }

  @Test
  void tlsComesFromTheFileSectionAndOptionsWin() throws Exception {
    var file = tmp.resolve("tls.yaml");
    Files.writeString(file, """
        tls:
          cert: /etc/ftp/fullchain.pem
          key: /etc/ftp/privkey.pem
          implicitPort: 990
          require: true
          handshakeTimeout: 5s
        """);
    var addresses = List.of(new InetSocketAddress("127.0.0.1", 21), new InetSocketAddress("::1", 21));
    var fromFile = ConfigFile.read(file);
    var tls = ServeCommand.tlsSettings(fromFile.options(), fromFile.tlsSection(), addresses).orElseThrow();
    assertThat(tls.explicit()).isTrue();
    assertThat(tls.certificate()).isEqualTo(new TlsCertificate.PemFiles(Path.of("/etc/ftp/fullchain.pem"),
        Path.of("/etc/ftp/privkey.pem")));
    assertThat(tls.implicitAddresses()).extracting(InetSocketAddress::getPort).containsExactly(990, 990);
    assertThat(tls.requireTls()).isTrue();
    assertThat(tls.requireTlsForAnonymous()).isFalse();
    assertThat(tls.requireSessionReuse()).isFalse();
    assertThat(tls.handshakeTimeout()).hasSeconds(5);

    var cli = KeyholeCli.commandLine();
    cli.parseArgs("serve", "--tls-dir", tmp.resolve("self").toString(), "--require-tls-session-reuse",
        "--implicit-tls-port", "9990", "--tls-handshake-timeout", "3s");
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
    var fromOptions = serve.configure(ConfigFile.empty()).server().configuration().tls().orElseThrow();
    assertThat(fromOptions.explicit()).isFalse(); // only the implicit listener: no --tls
    assertThat(fromOptions.certificate()).isEqualTo(new TlsCertificate.SelfSigned(tmp.resolve("self")));
    assertThat(fromOptions.requireSessionReuse()).isTrue();
    assertThat(fromOptions.handshakeTimeout()).hasSeconds(3);

    // the file's section turns AUTH TLS on unless it says explicit: false; --tls on the command line wins
    assertThat(ServeCommand.tlsSettings(ConfigFile.parse("tls:\n  explicit: false\n").options(), true, addresses))
        .isEmpty();
    var overridden = KeyholeCli.commandLine();
    overridden.parseArgs("serve", "--tls", "--tls-dir", tmp.resolve("self").toString());
    ServeCommand withTls = overridden.getSubcommands().get("serve").getCommand();
    assertThat(withTls.configure(ConfigFile.parse("tls:\n  explicit: false\n")).server().configuration().tls())
        .hasValueSatisfying(t -> assertThat(t.explicit()).isTrue());

    assertThat(ServeCommand.tlsSettings(ConfigFile.empty().options(), false, addresses)).isEmpty();
    var orphan = KeyholeCli.commandLine();
    orphan.parseArgs("serve", "--require-tls");
    ServeCommand orphanServe = orphan.getSubcommands().get("serve").getCommand();
    assertThatThrownBy(() -> orphanServe.configure(ConfigFile.empty())).hasMessageContaining("need --tls");
    assertThatThrownBy(() -> ConfigFile.parse("tls:\n  certificate: x.pem\n")).hasMessageStartingWith("unknown key 'tls.certificate'");
  }

  @Test
  void metricsEndpointServesPrometheusTextAndHealth() throws Exception {
    var registry = MetricsEndpoint.registry();
    var server = FtpServer.create().bindAddress("127.0.0.1", 0).metrics(new MicrometerFtpMetricsRecorder(registry)).bindNow();
    var draining = new java.util.concurrent.atomic.AtomicBoolean();
    var http = MetricsEndpoint.start("127.0.0.1", 0, registry, server::openSessions, draining::get);
    try (var client = HttpClient.newHttpClient()) {
      int port = ((java.net.InetSocketAddress) http.address()).getPort();
      var metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("keyhole_sessions_active");
      // the JVM's and the process's meters beside the server's
      assertThat(metrics.body()).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
          "process_cpu_usage", "process_uptime_seconds", "process_files_open_files");
      var health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"sessions\":0}");
      // a draining node fails its health check, so that the balancer sends it no new sessions
      draining.set(true);
      health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).isEqualTo("{\"status\":\"DRAINING\",\"sessions\":0}");
    } finally {
      http.disposeNow();
      server.disposeNow(Duration.ofSeconds(1));
    }
  }
}
