package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import reactor.core.publisher.Mono;

/** RMD and XRMD: removes an empty directory, never the root or through a link. */
public final class RmdHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var path = ctx.path();
    if (path.isRoot()) {
      return Mono.just(Replies.PERMISSION_DENIED);
    }
    return ctx.blocking(() -> {
      var real = ctx.real(path);
      if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        return Files.exists(real, LinkOption.NOFOLLOW_LINKS) ? Replies.NOT_A_DIRECTORY : Replies.NO_SUCH_FILE;
      }
      Files.delete(real);
      ctx.server().publish(new FtpEvent.Deleted(ctx.session().id(), ctx.session().userName(), path.toString(), true));
      ctx.logChange("removed directory " + path);
      return FtpReply.of(250, "Remove directory operation successful.");
    });
  }
}
