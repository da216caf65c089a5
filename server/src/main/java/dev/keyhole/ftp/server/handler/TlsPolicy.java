package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.protocol.FtpReply;
import java.util.Optional;

/**
 * Where TLS is required ({@code --require-tls}): login only on a TLS control connection, and
 * transfers only under PROT P; anonymous users are exempt unless the settings say otherwise, as
 * with vsftpd's {@code force_local_logins_ssl} and {@code force_local_data_ssl}.
 */
public final class TlsPolicy {

  public static final FtpReply LOGIN_NEEDS_TLS = FtpReply.of(530, "Non-anonymous sessions must use encryption: send AUTH TLS first.");
  public static final FtpReply ANONYMOUS_NEEDS_TLS = FtpReply.of(530, "Anonymous sessions must use encryption: send AUTH TLS first.");
  public static final FtpReply DATA_NEEDS_TLS = FtpReply.of(521, "Data connections must be encrypted: send PROT P first.");

  private TlsPolicy() {}

  /** Whether TLS is required for a user who is (or names himself) anonymous or not. */
  public static boolean required(CommandContext ctx, boolean anonymous) {
    return ctx.server().tls()
        .map(tls -> tls.settings().requireTls() && (!anonymous || tls.settings().requireTlsForAnonymous()))
        .orElse(false);
  }

  /** The refusal of USER or PASS for {@code name} on a clear control connection, if TLS is required. */
  public static Optional<FtpReply> loginRefusal(CommandContext ctx, String name) {
    boolean anonymous = ctx.authenticator().isAnonymousName(name);
    if (ctx.session().controlTls() || !required(ctx, anonymous)) {
      return Optional.empty();
    }
    return Optional.of(anonymous ? ANONYMOUS_NEEDS_TLS : LOGIN_NEEDS_TLS);
  }

  /** The refusal of a transfer under PROT C, if TLS is required for the logged-in user. */
  public static Optional<FtpReply> transferRefusal(CommandContext ctx) {
    var session = ctx.session();
    if (session.dataProtected() || !required(ctx, session.loggedIn().user().anonymous())) {
      return Optional.empty();
    }
    return Optional.of(DATA_NEEDS_TLS);
  }
}
