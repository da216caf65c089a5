package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.data.ListingFormatter;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** MFMT (draft-somers-ftp-mfxx): {@code MFMT YYYYMMDDHHMMSS path} sets a file's modification time. */
public final class MfmtHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    String arg = ctx.argument();
    int space = arg.indexOf(' ');
    var time = space < 0 ? Optional.<FileTime>empty()
        : ListingFormatter.parseTime(arg.substring(0, space));
    if (time.isEmpty() || space == arg.length() - 1) {
      return CommandContext.reply(501, "Syntax: MFMT YYYYMMDDHHMMSS path");
    }
    String name = arg.substring(space + 1);
    var path = ctx.session().cwd().resolve(name);
    return ctx.blocking(() -> {
      var real = ctx.real(path);
      if (!Files.isRegularFile(real)) {
        return FtpReply.of(550, "Not a plain file.");
      }
      Files.setLastModifiedTime(real, time.get());
      return FtpReply.of(213, "Modify=" + ListingFormatter.time(time.get()) + "; " + name);
    });
  }
}
