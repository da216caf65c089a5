package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import reactor.core.publisher.Mono;

/** RNFR: remembers the file to rename; RNTO must follow. */
public final class RnfrHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var path = ctx.path();
    if (path.isRoot()) {
      return Mono.just(Replies.PERMISSION_DENIED);
    }
    return ctx.blocking(() -> {
      if (!Files.exists(ctx.real(path), LinkOption.NOFOLLOW_LINKS)) {
        return Replies.NO_SUCH_FILE;
      }
      ctx.session().renameFrom(path);
      return FtpReply.of(350, "Ready for RNTO.");
    });
  }
}
