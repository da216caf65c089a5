package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.data.ListingFormatter;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import reactor.core.publisher.Mono;

/** MDTM (RFC 3659 3): a plain file's modification time, {@code YYYYMMDDHHMMSS} in UTC. */
public final class MdtmHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var path = ctx.path();
    return ctx.blocking(() -> {
      var attrs = Files.readAttributes(ctx.real(path), BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        return FtpReply.of(550, "Could not get file modification time.");
      }
      return FtpReply.of(213, ListingFormatter.time(attrs.lastModifiedTime()));
    });
  }
}
