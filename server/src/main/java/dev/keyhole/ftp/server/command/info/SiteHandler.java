package dev.keyhole.ftp.server.command.info;

import dev.keyhole.ftp.protocol.FtpCommand;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.Replies;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import reactor.core.publisher.Mono;

/** SITE: {@code HELP} and {@code CHMOD mode path} (octal, as vsftpd); anything else is 502. */
public final class SiteHandler implements CommandHandler {

  @Override
  public Mono<FtpReply> handle(CommandContext ctx) {
    var sub = FtpCommand.parse(ctx.argument().trim());
    return switch (sub.verb()) {
      case "HELP" -> CommandContext.reply(214, "SITE commands: CHMOD HELP");
      case "CHMOD" -> chmod(ctx, sub.argument().trim());
      default -> CommandContext.reply(502, "Unknown SITE command.");
    };
  }

  private static Mono<FtpReply> chmod(CommandContext ctx, String arg) {
    if (!ctx.user().may(Permission.WRITE)) {
      return Mono.just(Replies.PERMISSION_DENIED);
    }
    int space = arg.indexOf(' ');
    if (space < 0 || !arg.substring(0, space).matches("[0-7]{1,4}")) {
      return CommandContext.reply(501, "Syntax: SITE CHMOD <octal mode> <path>");
    }
    int mode = Integer.parseInt(arg.substring(0, space), 8);
    if (mode > 0777) {
      // setuid, setgid and sticky are not an FTP user's to set: refused, not silently dropped
      return CommandContext.reply(504, "SITE CHMOD: setuid, setgid and sticky bits cannot be set; nothing changed.");
    }
    var path = ctx.session().cwd().resolve(arg.substring(space + 1));
    return ctx.blocking(() -> {
      Files.setPosixFilePermissions(ctx.real(path), permissions(mode));
      return FtpReply.of(200, "SITE CHMOD command ok.");
    });
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    var set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }
}
