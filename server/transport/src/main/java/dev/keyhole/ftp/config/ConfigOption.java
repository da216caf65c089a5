package dev.keyhole.ftp.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One configuration option, declared once: its name, type, default, constraint and description.
 * Everything else follows from it: the library's {@code option(key, value)} methods, the command
 * line flag ({@code --max-sessions}, from {@link #flag()}), the YAML key ({@code maxSessions}, from
 * {@link #yamlKey()}), the help text and docs/configuration.md. The server's options are the
 * constants of {@code ServerOptions}, the ALG's of {@code AlgOptions}.
 *
 * @param <T> the value's type
 */
public final class ConfigOption<T> {

  private final String name;
  private final String label;
  private final Class<T> type;
  private final @Nullable T defaultValue;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;
  private final Predicate<T> valid;
  private final String constraint;
  private final String description;
  private final @Nullable String yamlSection;
  private final String yamlName;

  private ConfigOption(String name, String label, Class<T> type, @Nullable T defaultValue, Function<String, T> parser,
      Function<T, String> formatter, Predicate<T> valid, String constraint, String description) {
    this(name, label, type, defaultValue, parser, formatter, valid, constraint, description, null, camel(name));
  }

  private ConfigOption(String name, String label, Class<T> type, @Nullable T defaultValue, Function<String, T> parser,
      Function<T, String> formatter, Predicate<T> valid, String constraint, String description,
      @Nullable String yamlSection, String yamlName) {
    this.name = name;
    this.label = label;
    this.type = type;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.formatter = formatter;
    this.valid = valid;
    this.constraint = constraint;
    this.description = description;
    this.yamlSection = yamlSection;
    this.yamlName = yamlName;
    if (defaultValue != null && !valid.test(defaultValue)) {
      throw new IllegalArgumentException(name + ": the default breaks the constraint");
    }
  }

  /** A whole number of at least {@code min}. */
  public static ConfigOption<Integer> integer(String name, String label, int defaultValue, int min, String description) {
    return new ConfigOption<>(name, label, Integer.class, defaultValue, ConfigOption::parseInt, String::valueOf,
        v -> v >= min, "at least " + min, description);
  }

  /** A switch, off by default: a flag without a value on the command line, true or false in YAML. */
  public static ConfigOption<Boolean> flag(String name, String description) {
    return new ConfigOption<>(name, "", Boolean.class, false, ConfigOption::parseBoolean, String::valueOf, v -> true, "",
        description);
  }

  /** A duration such as {@code 30s}, {@code 5m}, {@code 1h} or {@code 250ms}, of at least {@code min}. */
  public static ConfigOption<Duration> duration(String name, Duration defaultValue, Duration min, String description) {
    return new ConfigOption<>(name, "DURATION", Duration.class, defaultValue, Durations::parse, Durations::format,
        v -> v.compareTo(min) >= 0, "at least " + Durations.format(min), description);
  }

  /** A text. */
  public static ConfigOption<String> text(String name, String label, String defaultValue, String description) {
    return new ConfigOption<>(name, label, String.class, defaultValue, s -> s, s -> s, v -> true, "", description);
  }

  /**
   * A list, empty by default: a flag given once per item ({@code --cluster-peer a=h:1 --cluster-peer
   * b=h:2}) or once with items separated by commas, a YAML list or a comma-separated text.
   * {@code parser} reads one item.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <E> ConfigOption<List<E>> list(String name, String label, Function<String, E> parser,
      Function<E, String> formatter, String description) {
    Function<String, List<E>> parseAll = text -> Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .map(parser)
        .toList();
    Function<List<E>, String> formatAll = items -> items.stream().map(formatter).collect(Collectors.joining(","));
    return new ConfigOption<>(name, label, (Class<List<E>>) (Class) List.class, List.of(), parseAll, formatAll,
        v -> true, "", description);
  }

  /**
   * A value of any type, parsed from its text by {@code parser} (which throws
   * {@link IllegalArgumentException} with a message for what it refuses) and written back by
   * {@code formatter}; {@code defaultValue} null for an option that is absent unless set.
   */
  public static <T> ConfigOption<T> of(String name, String label, Class<T> type, @Nullable T defaultValue,
      Function<String, T> parser, Function<T, String> formatter, String description) {
    return new ConfigOption<>(name, label, type, defaultValue, parser, formatter, v -> true, "", description);
  }

  /** The name, in kebab case: {@code max-sessions}. */
  public String name() {
    return name;
  }

  /** The command-line flag: {@code --max-sessions}. */
  public String flag() {
    return "--" + name;
  }

  /**
   * The same option under another YAML name inside a section of the file ({@code tls: cert:} for
   * {@code --tls-cert}), where the file groups options the command line keeps flat.
   */
  public ConfigOption<T> inYamlSection(String section, String key) {
    return new ConfigOption<>(name, label, type, defaultValue, parser, formatter, valid, constraint, description,
        section, key);
  }

  /** The same option under another YAML key at the top of the file ({@code clusterPeers} for {@code --cluster-peer}). */
  public ConfigOption<T> inYaml(String key) {
    return new ConfigOption<>(name, label, type, defaultValue, parser, formatter, valid, constraint, description,
        null, key);
  }

  /** The YAML key, in camel case ({@code maxSessions}), or the key inside its section. */
  public String yamlKey() {
    return yamlName;
  }

  /** The YAML section the key is in ({@code tls}), or empty for a key at the top of the file. */
  public Optional<String> yamlSection() {
    return Optional.ofNullable(yamlSection);
  }

  /** Where the option is in a YAML file: {@code maxSessions}, {@code tls.cert}. */
  public String yamlPath() {
    return yamlSection == null ? yamlName : yamlSection + "." + yamlName;
  }

  private static String camel(String name) {
    var sb = new StringBuilder(name.length());
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /** What the value looks like in help texts ({@code N}, {@code DURATION}); empty for a switch. */
  public String label() {
    return label;
  }

  /** The value's type. */
  public Class<T> type() {
    return type;
  }

  /** Whether this is a switch: a flag without a value on the command line. */
  public boolean isSwitch() {
    return type == Boolean.class;
  }

  /** Whether the option takes several values: given more than once on the command line, a list in YAML. */
  public boolean isRepeatable() {
    return type == List.class;
  }

  /** The value when none is set; empty for an option that is absent unless set. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The default as text, or {@code none}. */
  public String defaultText() {
    return defaultValue == null || defaultValue instanceof List<?> l && l.isEmpty() ? "none" : formatter.apply(defaultValue);
  }

  /** What the option does, for help texts and docs. */
  public String description() {
    return description;
  }

  /** The value as text, as {@link #parse} reads it. */
  public String format(T value) {
    return formatter.apply(value);
  }

  /** Reads a value from its text and checks it; {@link IllegalArgumentException} names the option. */
  public T parse(String text) {
    T value;
    try {
      value = parser.apply(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    return check(value);
  }

  /** The value, if it meets the option's constraint; {@link IllegalArgumentException} naming the option if not. */
  public T check(T value) {
    Objects.requireNonNull(value, name);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(name + ": not a " + type.getSimpleName().toLowerCase(Locale.ROOT));
    }
    if (!valid.test(value)) {
      throw new IllegalArgumentException(name + " must be " + constraint + ", not " + formatter.apply(value));
    }
    return value;
  }

  @Override
  public String toString() {
    return name;
  }

  private static Integer parseInt(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number: '" + text + "'");
    }
  }

  private static Boolean parseBoolean(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not true or false: '" + text + "'");
    };
  }
}
