package dev.keyhole.ftp.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.config.OptionValues;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The YAML configuration file of {@code keyhole serve --config FILE}. Every key is optional;
 * command-line options override it. The keys of the server's options and of {@link ServeOptions}
 * are made from their declarations ({@code maxSessions} for {@code --max-sessions}); {@code bind},
 * {@code users} and {@code tls} are sections of their own. docs/configuration.md describes each.
 *
 * @param bind the addresses to listen on, each optionally with {@code :port}
 * @param users the users, each with a bcrypt hash
 * @param tlsSection whether the file has a {@code tls} section (which turns AUTH TLS on unless it says {@code explicit: false})
 * @param options the server's and the command's options that the file sets
 * @param hosts the virtual hosts (RFC 7151 HOST), each with its own root, users and banner
 */
record ConfigFile(@Nullable List<String> bind, @Nullable List<UserEntry> users, boolean tlsSection,
    OptionValues options, List<HostEntry> hosts) {

  /** Every option a file may set, by YAML key. */
  private static final Map<String, ConfigOption<?>> OPTIONS = byKey();

  /**
   * A user of the configuration file.
   *
   * @param name login name
   * @param password a bcrypt hash from {@code keyhole passwd}
   * @param home the user's root; relative paths are under the server root
   * @param permissions any of read, write, delete, rename, mkdir (default: all)
   * @param downloadRate this user's own --download-rate
   * @param uploadRate this user's own --upload-rate
   * @param quotaBytes this user's own --user-quota-bytes
   * @param quotaFiles this user's own --user-quota-files
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  record UserEntry(String name, String password, @Nullable String home, @Nullable List<String> permissions,
      @Nullable String downloadRate, @Nullable String uploadRate, @Nullable String quotaBytes,
      @Nullable String quotaFiles) {}

  /**
   * A virtual host of the configuration file (docs/virtual-hosts.md).
   *
   * @param name the host name clients send with HOST
   * @param aliases more names for it
   * @param root its root directory: its users' homes are under it
   * @param users its users, each with a bcrypt hash (the same name on two hosts is two accounts)
   * @param banner the 220 reply to HOST (and the greeting, for the default host)
   * @param isDefault whether a client that sends no HOST gets this host
   * @param tlsCert the host's own certificate chain (PEM), chosen by TLS SNI or HOST before AUTH
   * @param tlsKey its private key (PEM)
   * @param userStore the host's own user store (a JDBC URL), instead of the server's {@code --users}
   * @param downloadRate its users' --download-rate, where they have none of their own
   * @param uploadRate its users' --upload-rate, likewise
   * @param quotaBytes its users' --user-quota-bytes, likewise
   * @param quotaFiles its users' --user-quota-files, likewise
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  record HostEntry(String name, @Nullable List<String> aliases, String root, @Nullable List<UserEntry> users,
      @Nullable String banner, @JsonProperty("default") @Nullable Boolean isDefault, @Nullable String tlsCert,
      @Nullable String tlsKey, @Nullable String userStore, @Nullable String downloadRate, @Nullable String uploadRate,
      @Nullable String quotaBytes, @Nullable String quotaFiles) {}

  /** The value the file gives an option, if it gives one. */
  <T> Optional<T> find(ConfigOption<T> option) {
    return options.isSet(option) ? options.find(option) : Optional.empty();
  }

  /** The value the file gives an option, or the option's default. */
  <T> T get(ConfigOption<T> option) {
    return options.get(option);
  }

  static ConfigFile read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /**
   * Parses YAML text: what {@link #read} does with a file's content. Anything wrong (YAML syntax,
   * an unknown key, a value an option refuses) is an {@link IOException} whose message names it.
   */
  static ConfigFile parse(String yaml) throws IOException {
    var mapper = mapper();
    JsonNode root;
    Map<String, Integer> lines;
    try {
      root = mapper.readTree(yaml);
      lines = keyLines(mapper, yaml);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      String message = String.valueOf(e.getOriginalMessage());
      int end = message.indexOf('\n');
      throw new Problem(line, "not valid YAML: " + (end < 0 ? message : message.substring(0, end)).strip(), e);
    }
    try {
      return parse(mapper, root);
    } catch (Problem p) {
      throw p;
    } catch (IOException e) {
      // the key the message starts with tells the line
      String message = String.valueOf(e.getMessage());
      String key = message.startsWith("unknown key '") ? message.substring(13, message.indexOf('\'', 13))
          : message.split("[: ]", 2)[0];
      throw new Problem(lines.getOrDefault(key, 0), message, e);
    }
  }

  /**
   * A mistake in the file, with the line it is on (0 when unknown): {@code serve} and
   * {@code check-config} print {@code FILE:LINE: message}.
   */
  static final class Problem extends IOException {
    private final int line;

    Problem(int line, String message, Throwable cause) {
      super(message, cause);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  /** The line of every key, top-level ({@code maxSessions}) and in a section ({@code tls.cert}). */
  private static Map<String, Integer> keyLines(ObjectMapper mapper, String yaml) throws IOException {
    var lines = new HashMap<String, Integer>();
    try (JsonParser parser = mapper.getFactory().createParser(yaml)) {
      var path = new ArrayDeque<String>();
      int depth = 0;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> {
            depth--;
            while (path.size() > Math.max(0, depth - 1) && !path.isEmpty()) {
              path.removeLast();
            }
          }
          case FIELD_NAME -> {
            while (path.size() >= depth && !path.isEmpty()) {
              path.removeLast();
            }
            path.addLast(parser.currentName());
            lines.putIfAbsent(String.join(".", path), parser.currentTokenLocation().getLineNr());
          }
          default -> { }
        }
      }
    }
    return lines;
  }

  private static ConfigFile parse(ObjectMapper mapper, JsonNode root) throws IOException {
    if (root == null || root.isNull() || root.isMissingNode()) {
      return empty();
    }
    if (!(root instanceof ObjectNode object)) {
      throw new IOException("the configuration is not a map of keys to values");
    }
    List<String> bind = null;
    List<UserEntry> users = null;
    List<HostEntry> hosts = List.of();
    boolean tls = false;
    var options = OptionValues.defaults();
    for (var entry : object.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      switch (key) {
        case "hosts" -> {
          hosts = list(mapper, key, value, HostEntry.class);
          for (var host : hosts) {
            if (host.name() == null || host.root() == null) {
              throw new IOException("hosts: each host needs a name and a root");
            }
            if (host.users() != null && host.userStore() != null) {
              throw new IOException("hosts: " + host.name() + ": users and userStore exclude each other");
            }
            if ((host.tlsCert() == null) != (host.tlsKey() == null)) {
              throw new IOException("hosts: " + host.name() + ": tlsCert and tlsKey go together");
            }
            for (var user : host.users() == null ? List.<UserEntry>of() : host.users()) {
              try {
                ServeCommand.check(user);
              } catch (IllegalArgumentException e) {
                throw new IOException("hosts: " + host.name() + ": " + e.getMessage(), e);
              }
            }
          }
        }
        case "bind" -> bind = value.isTextual() ? List.of(value.asText()) : list(mapper, key, value, String.class);
        case "users" -> {
          users = list(mapper, key, value, UserEntry.class);
          for (var user : users) {
            try {
              ServeCommand.check(user);
            } catch (IllegalArgumentException e) {
              throw new IOException("users: " + e.getMessage(), e);
            }
          }
        }
        case "tls" -> {
          if (!(value instanceof ObjectNode section)) {
            throw new IOException("tls: expected a section of keys");
          }
          tls = true;
          for (var inner : section.properties()) {
            options = set(options, "tls." + inner.getKey(), inner.getValue());
          }
        }
        default -> options = set(options, key, value);
      }
    }
    return new ConfigFile(bind, users, tls, options, hosts);
  }

  static ConfigFile empty() {
    return new ConfigFile(null, null, false, OptionValues.defaults(), List.of());
  }

  private static <T> OptionValues set(OptionValues options, String key, JsonNode value) throws IOException {
    @SuppressWarnings("unchecked")
    var option = (ConfigOption<T>) OPTIONS.get(key);
    if (option == null) {
      String near = nearest(key);
      throw new IOException("unknown key '" + key + "'" + (near != null ? " (did you mean '" + near + "'?)"
          : "; known keys: " + String.join(", ", knownKeys())));
    }
    String text;
    if (option.isRepeatable() && value.isArray()) {
      var items = new ArrayList<String>();
      for (JsonNode item : value) {
        if (!item.isValueNode() || item.isNull()) {
          throw new IOException(key + ": expected a list of single values");
        }
        items.add(item.asText());
      }
      text = String.join(",", items);
    } else if (!value.isValueNode() || value.isNull()) {
      throw new IOException(key + (option.isRepeatable() ? ": expected a list" : ": expected a single value"));
    } else {
      text = value.asText();
    }
    try {
      return options.with(option, option.parse(text));
    } catch (IllegalArgumentException e) {
      // the option's message names it as the command line does: here the key is the name
      String message = e.getMessage();
      throw new IOException(message.startsWith(option.name()) ? key + message.substring(option.name().length())
          : key + ": " + message, e);
    }
  }

  private static <T> List<T> list(ObjectMapper mapper, String key, JsonNode value, Class<T> type) throws IOException {
    if (!value.isArray()) {
      throw new IOException(key + ": expected a list");
    }
    var out = new ArrayList<T>();
    for (JsonNode item : value) {
      out.add(convert(mapper, key, item, type));
    }
    return out;
  }

  private static <T> T convert(ObjectMapper mapper, String key, JsonNode value, Class<T> type) throws IOException {
    try {
      return mapper.treeToValue(value, type);
    } catch (JsonProcessingException e) {
      throw new IOException(key + ": " + e.getOriginalMessage(), e);
    }
  }

  private static Map<String, ConfigOption<?>> byKey() {
    var all = new LinkedHashMap<String, ConfigOption<?>>();
    for (var option : ServerOptions.ALL) {
      all.put(option.yamlPath(), option);
    }
    for (var option : ServeOptions.ALL) {
      all.put(option.yamlPath(), option);
    }
    return Map.copyOf(all);
  }

  /** The known key closest to a misspelt one, within two edits, or null. */
  private static @Nullable String nearest(String key) {
    String best = null;
    int bestDistance = 3;
    for (String known : knownKeys()) {
      int d = distance(key.toLowerCase(java.util.Locale.ROOT), known.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static List<String> knownKeys() {
    var keys = new TreeSet<>(OPTIONS.keySet());
    keys.addAll(List.of("bind", "users", "hosts"));
    return List.copyOf(keys);
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper(new YAMLFactory())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  }
}
