package dev.keyhole.ftp.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The YAML configuration file of {@code keyhole serve --config FILE}. Every field is optional;
 * command-line options override it. docs/configuration.md describes each.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record ConfigFile(
    @Nullable List<String> bind,
    @Nullable Integer port,
    @Nullable String root,
    @Nullable Boolean anonymous,
    @Nullable Integer maxSessions,
    @Nullable Integer maxSessionsPerIp,
    @Nullable String passivePorts,
    @Nullable String publicAddress,
    @Nullable String idleTimeout,
    @Nullable String loginTimeout,
    @Nullable String dataConnectionTimeout,
    @Nullable String failedLoginDelay,
    @Nullable Integer maxLoginFailures,
    @Nullable Boolean allowForeignDataAddress,
    @Nullable Boolean allowLowDataPorts,
    @Nullable Boolean keepPartialUploads,
    @Nullable Integer metricsPort,
    @Nullable String banner,
    @Nullable String dataChannels,
    @Nullable String spsvTimeout,
    @Nullable Integer maxPendingSpsv,
    @Nullable Boolean spdtFromAnyAddress,
    @Nullable List<UserEntry> users,
    @Nullable TlsEntry tls) {

  /**
   * FTPS settings of the configuration file.
   *
   * @param explicit offer AUTH TLS (default true when this section is there)
   * @param cert PEM certificate chain; without it a self-signed certificate is made in {@code selfSignedDir}
   * @param key PEM private key of {@code cert}
   * @param selfSignedDir where the self-signed certificate is kept (default ~/.keyhole/tls)
   * @param implicitPort a port for implicit FTPS on each bind address
   * @param require refuse login and transfers without TLS (anonymous users exempt)
   * @param requireForAnonymous apply {@code require} to anonymous users too
   * @param requireSessionReuse data connections must resume the control connection's TLS session
   * @param handshakeTimeout the longest a TLS handshake may take (default 10s)
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  record TlsEntry(@Nullable Boolean explicit, @Nullable String cert, @Nullable String key,
      @Nullable String selfSignedDir, @Nullable Integer implicitPort, @Nullable Boolean require,
      @Nullable Boolean requireForAnonymous, @Nullable Boolean requireSessionReuse,
      @Nullable String handshakeTimeout) {}

  /**
   * A user of the configuration file.
   *
   * @param name login name
   * @param password a bcrypt hash from {@code keyhole passwd}
   * @param home the user's root; relative paths are under the server root
   * @param permissions any of read, write, delete, rename, mkdir (default: all)
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  record UserEntry(String name, String password, @Nullable String home, @Nullable List<String> permissions) {}

  static ConfigFile read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** Parses YAML text: what {@link #read} does with a file's content. */
  static ConfigFile parse(String yaml) throws IOException {
    ConfigFile file = mapper().readValue(yaml, ConfigFile.class);
    return file == null ? empty() : file;
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper(new YAMLFactory())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  }

  static ConfigFile empty() {
    return new ConfigFile(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null);
  }
}
