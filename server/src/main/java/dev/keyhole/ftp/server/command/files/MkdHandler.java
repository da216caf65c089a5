package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import java.nio.file.Files;
import reactor.core.publisher.Mono;

/** MKD and XMKD: 257 with the new directory's path. */
public final class MkdHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var path = ctx.path();
    if (!path.hasCreatableName()) {
      return Mono.just(Replies.NAME_NOT_ALLOWED);
    }
    return ctx.blocking(() -> {
      Files.createDirectory(ctx.real(path));
      ctx.server().publish(new FtpEvent.DirectoryCreated(ctx.session().id(), ctx.session().userName(), path.toString()));
      ctx.logChange("made directory " + path);
      return Replies.path(path.toString(), "created.");
    });
  }
}
