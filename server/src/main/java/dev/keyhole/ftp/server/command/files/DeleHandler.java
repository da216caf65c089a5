package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import reactor.core.publisher.Mono;

/** DELE: deletes a file (or a symbolic link itself); directories need RMD. */
public final class DeleHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var path = ctx.path();
    return ctx.blocking(() -> {
      var real = ctx.real(path);
      if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        return Replies.NOT_A_PLAIN_FILE;
      }
      long size = Files.size(real);
      Files.delete(real);
      ctx.server().quotas().removed(ctx.user().home(), size);
      ctx.server().publish(new FtpEvent.Deleted(ctx.session().id(), ctx.session().userName(), path.toString(), false));
      ctx.logChange("deleted " + path);
      return FtpReply.of(250, "Delete operation successful.");
    });
  }
}
