package dev.keyhole.ftp.server.data;

import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.User;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Formats directory entries: LIST in the {@code ls -l} form that every client parses (as vsftpd
 * writes it, times in UTC, owner and group hidden as {@code ftp}), and MLSD/MLST fact lines (RFC
 * 3659 section 7).
 */
public final class ListingFormatter {

  private static final DateTimeFormatter RECENT =
      DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter OLD =
      DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  /** Strict: 20240230120000 is no date (a lenient parse made it February 29), nor is hour 24. */
  private static final DateTimeFormatter STRICT_TIME =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT).withResolverStyle(java.time.format.ResolverStyle.STRICT);
  private static final DateTimeFormatter MLST_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Duration SIX_MONTHS = Duration.ofDays(182);
  private static final Pattern FILE_KEY = Pattern.compile("dev=([0-9a-fA-Fx]+),ino=(\\d+)");

  private ListingFormatter() {}

  /** One LIST line, without line end. */
  public static String list(FileEntry e, Instant now) {
    var attrs = e.attributes();
    char kind = attrs.isSymbolicLink() ? 'l' : attrs.isDirectory() ? 'd' : '-';
    String perms = e.permissions().map(PosixFilePermissions::toString)
        .orElse(attrs.isDirectory() ? "rwxr-xr-x" : "rw-r--r--");
    String name = e.linkTarget().map(t -> e.name() + " -> " + t).orElse(e.name());
    return String.format(Locale.ROOT, "%c%s %4d %-8s %-8s %12d %s %s",
        kind, perms, 1, "ftp", "ftp", attrs.size(), listTime(attrs.lastModifiedTime(), now), name);
  }

  static String listTime(FileTime time, Instant now) {
    Instant t = time.toInstant();
    boolean recent = t.isAfter(now.minus(SIX_MONTHS)) && t.isBefore(now.plus(Duration.ofDays(1)));
    return (recent ? RECENT : OLD).format(t);
  }

  /** The MLST/MLSD time format, {@code YYYYMMDDHHMMSS} in UTC. */
  public static String time(FileTime time) {
    return MLST_TIME.format(time.toInstant());
  }

  /** Parses the MFMT/MDTM time format {@code YYYYMMDDHHMMSS[.sss]}, in UTC. */
  public static Optional<FileTime> parseTime(String text) {
    if (!text.matches("\\d{14}(\\.\\d{1,3})?")) {
      return Optional.empty();
    }
    try {
      var t = LocalDateTime.parse(text.substring(0, 14), STRICT_TIME);
      long millis = t.toInstant(ZoneOffset.UTC).toEpochMilli();
      if (text.length() > 15) {
        String frac = (text.substring(15) + "00").substring(0, 3);
        millis += Integer.parseInt(frac);
      }
      return Optional.of(FileTime.fromMillis(millis));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** One MLSD/MLST line: the selected facts, a space and the name, without line end. */
  public static String facts(FileEntry e, Set<String> selected, User user) {
    var attrs = e.attributes();
    var sb = new StringBuilder(96);
    for (String fact : MlstFacts.ORDER) {
      if (!selected.contains(fact)) {
        continue;
      }
      switch (fact) {
        case "type" -> sb.append("type=").append(
            attrs.isSymbolicLink() ? "OS.unix=symlink" : attrs.isDirectory() ? "dir" : "file").append(';');
        case "size" -> sb.append("size=").append(attrs.size()).append(';');
        case "modify" -> sb.append("modify=").append(time(attrs.lastModifiedTime())).append(';');
        case "perm" -> sb.append("perm=").append(perm(e, user)).append(';');
        case "unique" -> unique(attrs.fileKey()).ifPresent(u -> sb.append("unique=").append(u).append(';'));
        default -> { }
      }
    }
    return sb.append(' ').append(e.name()).toString();
  }

  private static String perm(FileEntry e, User user) {
    var sb = new StringBuilder();
    boolean ownerWritable = e.permissions().map(p -> p.contains(PosixFilePermission.OWNER_WRITE)).orElse(true);
    boolean write = user.may(Permission.WRITE) && ownerWritable;
    if (e.attributes().isDirectory()) {
      sb.append("el");
      if (write) {
        sb.append('c');
      }
      if (user.may(Permission.MKDIR) && ownerWritable) {
        sb.append('m');
      }
      if (user.may(Permission.DELETE)) {
        sb.append("dp");
      }
    } else {
      if (user.may(Permission.READ)) {
        sb.append('r');
      }
      if (write) {
        sb.append("aw");
      }
      if (user.may(Permission.DELETE)) {
        sb.append('d');
      }
    }
    if (user.may(Permission.RENAME)) {
      sb.append('f');
    }
    return sb.toString();
  }

  private static Optional<String> unique(Object fileKey) {
    if (fileKey == null) {
      return Optional.empty();
    }
    Matcher m = FILE_KEY.matcher(fileKey.toString());
    if (!m.find()) {
      return Optional.empty();
    }
    String dev = m.group(1).startsWith("0x") ? m.group(1).substring(2) : m.group(1);
    return Optional.of(dev + "U" + Long.toHexString(Long.parseLong(m.group(2))));
  }
}
