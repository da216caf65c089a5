package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import reactor.core.publisher.Mono;

/** SIZE (RFC 3659 4): the size of a plain file as stored. */
public final class SizeHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var path = ctx.path();
    return ctx.blocking(() -> {
      var attrs = Files.readAttributes(ctx.real(path), BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        return FtpReply.of(550, "Could not get file size.");
      }
      return FtpReply.of(213, Long.toString(attrs.size()));
    });
  }
}
