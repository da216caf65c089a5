package dev.keyhole.ftp.server.data;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The MLST/MLSD facts the server offers (RFC 3659 section 7), in the order it writes them. */
public final class MlstFacts {

  /** The supported facts in output order. */
  public static final String[] ORDER = {"type", "size", "modify", "perm", "unique"};

  /** Every supported fact. */
  public static final Set<String> ALL = Set.of(ORDER);

  private MlstFacts() {}

  /** The FEAT line: every fact, selected ones marked with {@code *}. */
  public static String feature(Set<String> selected) {
    var sb = new StringBuilder("MLST ");
    for (String fact : ORDER) {
      sb.append(fact).append(selected.contains(fact) ? "*;" : ";");
    }
    return sb.toString();
  }

  /** Parses the argument of {@code OPTS MLST fact;fact;}: unknown facts are ignored (RFC 3659 7.9). */
  public static Set<String> parse(String argument) {
    return Arrays.stream(argument.split(";"))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(ALL::contains)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The selected facts in output order, each followed by {@code ;}, for the OPTS reply. */
  public static String list(Set<String> selected) {
    var sb = new StringBuilder();
    for (String fact : ORDER) {
      if (selected.contains(fact)) {
        sb.append(fact).append(';');
      }
    }
    return sb.toString();
  }
}
