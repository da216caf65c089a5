package dev.keyhole.ftp.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Values of {@link ConfigOption}s, immutable: what is not set has the option's default. Setting
 * makes a copy, so that the builders over it are copy-on-write.
 */
public final class OptionValues {

  private static final OptionValues EMPTY = new OptionValues(Map.of());

  private final Map<ConfigOption<?>, Object> values;

  private OptionValues(Map<ConfigOption<?>, Object> values) {
    this.values = values;
  }

  /** Every option at its default. */
  public static OptionValues defaults() {
    return EMPTY;
  }

  /** A copy with {@code option} set to {@code value}, checked against the option's constraint. */
  public <T> OptionValues with(ConfigOption<T> option, T value) {
    var copy = new LinkedHashMap<>(values);
    copy.put(option, option.check(value));
    return new OptionValues(Collections.unmodifiableMap(copy));
  }

  /** The value, or the option's default; {@link IllegalStateException} for an option without one that is not set. */
  public <T> T get(ConfigOption<T> option) {
    return find(option).orElseThrow(() -> new IllegalStateException(option + " is not set and has no default"));
  }

  /** The value, or the option's default, or empty for an option without one that is not set. */
  public <T> Optional<T> find(ConfigOption<T> option) {
    Object value = values.get(option);
    return value != null ? Optional.of(option.type().cast(value)) : option.defaultValue();
  }

  /** Whether the option was set, rather than left at its default. */
  public boolean isSet(ConfigOption<?> option) {
    return values.containsKey(option);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
