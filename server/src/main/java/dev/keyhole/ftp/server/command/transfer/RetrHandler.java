package dev.keyhole.ftp.server.command.transfer;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.data.Transfers;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.FtpReplyException;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.handler.TransferRunner;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder.Direction;
import dev.keyhole.ftp.server.session.TransferType;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import reactor.core.publisher.Flux;

/**
 * RETR: in binary mode the file goes out as one zero-copy file region (streamed in chunks under
 * TLS, where sendfile cannot go); in ASCII mode with line ends converted. A REST offset applies to the stored bytes.
 */
public final class RetrHandler implements CommandHandler {

  /**
   * Whether the file can go out by sendfile: only a file of the default file system has the
   * descriptor sendfile needs; any other {@code java.nio.file} file system (Jimfs, a zip, a remote
   * store behind the {@code FileSystemFactory} SPI) is streamed.
   */
  static boolean zeroCopy(Path file) {
    return file.getFileSystem() == FileSystems.getDefault();
  }

  @Override
  public Flux<FtpReply> handle(CommandContext ctx) {
    var path = ctx.path();
    long offset = ctx.session().takeRestartOffset();
    boolean ascii = ctx.session().type() == TransferType.ASCII;
    return ctx.blocking(() -> {
      var real = ctx.real(path);
      var attrs = Files.readAttributes(real, BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        throw new FtpReplyException(Replies.NOT_A_PLAIN_FILE);
      }
      if (offset > attrs.size()) {
        throw new FtpReplyException(FtpReply.of(554, "Invalid REST parameter: beyond the end of the file."));
      }
      var channel = FileChannel.open(real, StandardOpenOption.READ);
      return new Opened(real, channel, channel.size());
    }).flatMapMany(file -> TransferRunner.run(ctx,
        FtpReply.of(150, "Opening " + ctx.session().type().label() + " mode data connection for "
            + path.name() + " (" + file.size() + " bytes)."),
        Direction.DOWNLOAD, file.path(),
        transfer -> (ascii
            ? Transfers.sendAscii(transfer, file.channel(), offset, ctx.server().blocking())
            : transfer.connection().encrypted() || !zeroCopy(file.path())
                ? Transfers.sendStream(transfer, file.channel(), offset, ctx.server().blocking())
                // rate-limited: zero-copy still, in slices the shaper can pace
                : ctx.server().rates().limitsDownloads(TransferRunner.limits(ctx))
                    ? Transfers.sendFileSlices(transfer, file.channel(), offset, file.size())
                    : Transfers.sendFile(transfer, file.channel(), offset, file.size()))
            .thenReturn(Replies.TRANSFER_COMPLETE))
        .doFinally(s -> file.close()));
  }
}
