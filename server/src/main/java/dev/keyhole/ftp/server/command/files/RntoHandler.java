package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import reactor.core.publisher.Mono;

/** RNTO: renames the file named by RNFR; an existing file of the new name is replaced, as rename(2) does. */
public final class RntoHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var from = ctx.session().takeRenameFrom();
    if (from.isEmpty()) {
      return CommandContext.reply(503, "RNFR required first.");
    }
    var to = ctx.path();
    if (to.isRoot()) {
      return Mono.just(Replies.PERMISSION_DENIED);
    }
    if (!to.hasCreatableName()) {
      return Mono.just(Replies.NAME_NOT_ALLOWED);
    }
    return ctx.blocking(() -> {
      var target = ctx.real(to);
      if (Files.isDirectory(target)) {
        return Replies.FILE_EXISTS;
      }
      long replaced = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? Files.size(target) : -1;
      Files.move(ctx.real(from.get()), target, StandardCopyOption.REPLACE_EXISTING);
      if (replaced >= 0) {
        ctx.server().quotas().removed(ctx.user().home(), replaced);
      }
      ctx.server().publish(new FtpEvent.Renamed(ctx.session().id(), ctx.session().userName(), from.get().toString(),
          to.toString()));
      ctx.logChange("renamed " + from.get() + " to " + to);
      return FtpReply.of(250, "Rename successful.");
    });
  }
}
