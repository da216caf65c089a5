package dev.keyhole.ftp.server.command.auth;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.session.LoginState;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * HOST (RFC 7151): chooses the virtual host before login. {@code 220} with that host's greeting;
 * {@code 504} for a name no host answers to, an address literal that is not the server's, or a
 * name other than the one the client gave in TLS SNI; {@code 501} for a port or malformed name;
 * {@code 503} once logged in. The last HOST before login counts, and a USER given before it is
 * forgotten; REIN forgets the host. An address literal of the server's own (IPv6 in brackets)
 * selects the default host. Without any virtual host configured, every well-formed name is this
 * server.
 */
public final class HostHandler implements CommandHandler {

  private static final Logger log = LoggerFactory.getLogger(HostHandler.class);

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var session = ctx.session();
    if (session.isLoggedIn()) {
      return CommandContext.reply(503, "HOST must come before login.");
    }
    String name = ctx.argument().trim();
    var config = ctx.server().config();
    String defaultBanner = config.defaultHost().flatMap(VirtualHost::banner).orElse(config.get(ServerOptions.BANNER));
    if (name.startsWith("[") || name.matches("[0-9.]+")) {
      Optional<InetAddress> literal = name.startsWith("[") && name.endsWith("]")
          ? AddressFormats.literal(name.substring(1, name.length() - 1), true)
          : name.startsWith("[") ? Optional.empty() : AddressFormats.literal(name, false);
      if (literal.isEmpty()) {
        return CommandContext.reply(501, "Not a host name or address literal.");
      }
      if (!literal.get().equals(session.local().getAddress())) {
        return CommandContext.reply(504, "That address is not this server's.");
      }
      forgetUser(ctx);
      session.reinitializeHost();
      return CommandContext.reply(220, defaultBanner);
    }
    if (name.contains(":")) {
      return CommandContext.reply(501, "HOST takes a host name without a port (IPv6 addresses go in brackets).");
    }
    if (!VirtualHost.isHostname(name)) {
      return CommandContext.reply(501, "Not a host name.");
    }
    var sni = sniName(ctx);
    if (sni.isPresent() && !sni.get().equalsIgnoreCase(stripDot(name))) {
      log.info("session {} from {}: HOST {} refused: TLS server name was {}", session.id(),
          AddressFormats.hostPort(session.remote()), name, sni.get());
      return CommandContext.reply(504, "HOST does not match the TLS server name.");
    }
    var hosts = config.virtualHosts();
    if (hosts.isEmpty()) {
      forgetUser(ctx);
      return CommandContext.reply(220, defaultBanner);
    }
    var chosen = hosts.stream().filter(h -> h.answersTo(name)).findFirst();
    if (chosen.isEmpty()) {
      log.info("session {} from {}: HOST {} unknown", session.id(), AddressFormats.hostPort(session.remote()), name);
      return CommandContext.reply(504, "Unknown host.");
    }
    forgetUser(ctx);
    session.host(chosen.get());
    log.info("session {} from {}: host {}", session.id(), AddressFormats.hostPort(session.remote()), chosen.get().name());
    return CommandContext.reply(220, chosen.get().banner().orElse(config.get(ServerOptions.BANNER)));
  }

  /** A USER given before HOST named an account of the host before: it is not this host's. */
  private static void forgetUser(CommandContext ctx) {
    if (ctx.session().login() instanceof LoginState.UserGiven) {
      ctx.session().login(new LoginState.Anonymous());
    }
  }

  /** The host name the client gave in TLS SNI on the control connection, if any. */
  private static Optional<String> sniName(CommandContext ctx) {
    return ctx.session().tlsSession()
        .filter(ExtendedSSLSession.class::isInstance)
        .map(s -> ((ExtendedSSLSession) s).getRequestedServerNames())
        .flatMap(names -> names.stream().filter(SNIHostName.class::isInstance)
            .map(n -> ((SNIHostName) n).getAsciiName().toLowerCase(Locale.ROOT)).findFirst());
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
