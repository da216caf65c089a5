package dev.keyhole.ftp.cli;

import dev.keyhole.ftp.config.ConfigOption;
import dev.keyhole.ftp.config.OptionValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line side of declared options ({@link ConfigOption}): a flag for each, with the
 * option's description and default, and the values a parsed command line gives them. What
 * {@code keyhole serve} and {@code keyhole alg} share.
 */
public final class DeclaredOptions {

  private DeclaredOptions() {}

  /**
   * Adds a flag for each option to the command: {@code --max-sessions N}, a switch without a
   * value; {@code aliases} gives an option a second flag.
   */
  public static void add(CommandSpec command, List<ConfigOption<?>> options, Map<ConfigOption<?>, String> aliases) {
    for (var option : options) {
      String alias = aliases.get(option);
      String[] names = alias == null ? new String[] {option.flag()} : new String[] {option.flag(), alias};
      var builder = OptionSpec.builder(names)
          .description(option.description()
              + (option.isSwitch() || option.defaultValue().isEmpty() ? "" : " (default " + option.defaultText() + ")"));
      if (option.isSwitch()) {
        builder.arity("0").type(boolean.class);
      } else if (option.isRepeatable()) {
        builder.arity("1").type(List.class).auxiliaryTypes(String.class).paramLabel(option.label());
      } else {
        builder.arity("1").type(String.class).paramLabel(option.label());
      }
      command.addOption(builder.build());
    }
  }

  /** The options the parsed command line gives, as text (a switch: {@code true}); none without a command line. */
  public static Map<ConfigOption<?>, String> given(@Nullable CommandSpec command, List<ConfigOption<?>> options) {
    var values = new LinkedHashMap<ConfigOption<?>, String>();
    if (command == null || command.commandLine() == null || command.commandLine().getParseResult() == null) {
      return values;
    }
    var result = command.commandLine().getParseResult();
    for (var option : options) {
      var matched = result.matchedOption(option.flag());
      if (matched != null) {
        Object value = matched.getValue();
        values.put(option, option.isSwitch() ? "true"
            : value instanceof List<?> items ? items.stream().map(String::valueOf).collect(Collectors.joining(","))
            : String.valueOf(value));
      }
    }
    return values;
  }

  /**
   * {@code values} with each given text parsed and set over it; {@link IllegalArgumentException}
   * naming the flag for a value the option refuses.
   */
  public static OptionValues over(OptionValues values, Map<ConfigOption<?>, String> given) {
    var result = values;
    for (var entry : given.entrySet()) {
      result = with(result, entry.getKey(), entry.getValue());
    }
    return result;
  }

  private static <T> OptionValues with(OptionValues values, ConfigOption<T> option, String text) {
    try {
      return values.with(option, option.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + e.getMessage(), e);
    }
  }
}
