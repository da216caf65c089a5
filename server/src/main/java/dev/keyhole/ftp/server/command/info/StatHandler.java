package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.command.files.ListHandler;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import java.util.ArrayList;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * STAT without argument: the session's status (211). With a path: its listing on the control
 * connection (213), at most {@link ListHandler#MAX_STAT_LINES} lines.
 */
public final class StatHandler implements CommandHandler {

  @Override
  public Publisher<FtpReply> handle(CommandContext ctx) {
    if (ctx.command().hasArgument()) {
      if (!ctx.session().isLoggedIn()) {
        return Mono.just(Replies.NOT_LOGGED_IN);
      }
      return ListHandler.statListing(ctx);
    }
    var session = ctx.session();
    var lines = new ArrayList<String>();
    lines.add("FTP server status:");
    lines.add(" Connected to " + session.remote().getAddress().getHostAddress());
    lines.add(session.isLoggedIn() ? " Logged in as " + session.userName() : " Not logged in");
    lines.add(" TYPE: " + session.type().label());
    lines.add(" Session timeout in seconds is " + ctx.server().config().get(ServerOptions.IDLE_TIMEOUT).toSeconds());
    lines.add(" Control connection is plain text");
    lines.add(" Data connections will be plain text");
    lines.add("End of status");
    return Mono.just(FtpReply.multi(211, lines));
  }
}
