package dev.keyhole.ftp.server.api;

import dev.keyhole.ftp.server.auth.Authenticator;
import dev.keyhole.ftp.server.fs.FileSystemFactory;
import dev.keyhole.ftp.server.tls.TlsCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A virtual host (RFC 7151): one of many customers served from one address and port, selected
 * by the client's {@code HOST} command before login. Each has its own users ({@link
 * Authenticator}: the same user name on two hosts is two accounts), its own file system and its
 * own greeting. The default host is what a client that sends no {@code HOST}, or a {@code HOST}
 * with the server's own address literal, gets; without one, the server's own authenticator, file
 * system and banner are that default.
 *
 * @param name the host name, as clients send it ({@code files.example.com}); compared without case
 * @param aliases more names for the same host
 * @param authenticator who may log in on this host
 * @param fileSystem what they see
 * @param banner the text of the {@code 220} reply to {@code HOST} (and the greeting, for the default host); empty: the server's
 * @param isDefault whether a client that sends no {@code HOST} gets this host
 * @param certificate the host's own TLS certificate, chosen by the client's TLS server name (SNI)
 *     or by a HOST before AUTH TLS; empty: the server's
 */
public record VirtualHost(String name, List<String> aliases, Authenticator authenticator, FileSystemFactory fileSystem,
    Optional<String> banner, boolean isDefault, Optional<TlsCertificate> certificate) {

  /** RFC 7151's hostname: labels of letters, digits and inner hyphens, dot-separated, at most 253 characters. */
  private static final Pattern HOSTNAME = Pattern.compile(
      "(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  /** Checks the names. */
  public VirtualHost {
    checkName(name);
    aliases = List.copyOf(aliases);
    aliases.forEach(VirtualHost::checkName);
  }

  /** A host with this name, users and file system, the server's banner, not the default. */
  public static VirtualHost of(String name, Authenticator authenticator, FileSystemFactory fileSystem) {
    return new VirtualHost(name, List.of(), authenticator, fileSystem, Optional.empty(), false, Optional.empty());
  }

  /** A copy also answering to these names. */
  public VirtualHost withAliases(String... more) {
    var all = new ArrayList<>(aliases);
    all.addAll(List.of(more));
    return new VirtualHost(name, all, authenticator, fileSystem, banner, isDefault, certificate);
  }

  /** A copy greeting with this text. */
  public VirtualHost withBanner(String text) {
    return new VirtualHost(name, aliases, authenticator, fileSystem, Optional.of(text), isDefault, certificate);
  }

  /** A copy that clients sending no {@code HOST} get. */
  public VirtualHost asDefault() {
    return new VirtualHost(name, aliases, authenticator, fileSystem, banner, true, certificate);
  }

  /** A copy with its own TLS certificate (the server's TLS settings otherwise). */
  public VirtualHost withCertificate(TlsCertificate own) {
    return new VirtualHost(name, aliases, authenticator, fileSystem, banner, isDefault, Optional.of(own));
  }

  /** The name and the aliases. */
  public List<String> names() {
    var all = new ArrayList<String>();
    all.add(name);
    all.addAll(aliases);
    return all;
  }

  /** Whether {@code hostname} names this host (its name or an alias, without case, a final dot ignored). */
  public boolean answersTo(String hostname) {
    String wanted = normal(hostname);
    return normal(name).equals(wanted) || aliases.stream().anyMatch(a -> normal(a).equals(wanted));
  }

  /** Whether {@code text} is a host name as RFC 7151 allows it (not an address literal). */
  public static boolean isHostname(String text) {
    return HOSTNAME.matcher(text).matches() && !text.matches("[0-9.]+");
  }

  private static void checkName(String name) {
    if (!isHostname(name)) {
      throw new IllegalArgumentException("not a host name: '" + name + "'");
    }
  }

  private static String normal(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
