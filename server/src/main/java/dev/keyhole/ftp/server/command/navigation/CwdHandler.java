package dev.keyhole.ftp.server.command.navigation;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.fs.VirtualPath;
import java.nio.file.Files;
import reactor.core.publisher.Mono;

/** CWD and XCWD; CDUP uses the same check on the parent. */
public final class CwdHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    return change(ctx, ctx.path());
  }

  static Mono<FtpReply> change(CommandContext ctx, VirtualPath target) {
    return ctx.blocking(() -> {
      if (!Files.isDirectory(ctx.real(target))) {
        return FtpReply.of(550, "Failed to change directory.");
      }
      ctx.session().cwd(target);
      return FtpReply.of(250, "Directory successfully changed.");
    });
  }
}
