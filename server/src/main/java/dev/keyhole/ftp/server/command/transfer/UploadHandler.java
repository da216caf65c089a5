package dev.keyhole.ftp.server.command.transfer;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.data.DirectUpload;
import dev.keyhole.ftp.server.data.PartialUploads;
import dev.keyhole.ftp.server.data.Quotas;
import dev.keyhole.ftp.server.data.Transfers;
import dev.keyhole.ftp.server.fs.VirtualPath;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.FtpReplyException;
import dev.keyhole.ftp.server.handler.Replies;
import dev.keyhole.ftp.server.handler.TransferRunner;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder.Direction;
import dev.keyhole.ftp.server.session.TransferType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * STOR, APPE and STOU. A plain STOR writes to a hidden temporary file beside the target and
 * renames it into place once the client has sent everything, so an interrupted upload never leaves
 * a truncated file under the final name (unless partial uploads are kept, for clients that resume
 * with REST). STOR after REST writes in place from the offset; APPE appends; STOU picks a new name.
 */
public final class UploadHandler implements CommandHandler {

  private static final Logger log = LoggerFactory.getLogger(UploadHandler.class);

  /** Which of the three upload commands. */
  public enum Mode { STORE, APPEND, UNIQUE }

  private final Mode mode;

  public UploadHandler(Mode mode) {
    this.mode = mode;
  }

  /**
   * Where the bytes go and what happens at the end.
   *
   * @param upload the quota's reservation, where quotas apply
   * @param existed the target's size before the upload, or -1 when it did not exist
   */
  private record Target(Path path, Path writeTo, long offset, boolean rename, String name,
      Quotas.@Nullable Upload upload, long existed) {}

  @Override
  public Flux<FtpReply> handle(CommandContext ctx) {
    long rest = ctx.session().takeRestartOffset();
    long offset = mode == Mode.STORE ? rest : 0;
    boolean ascii = ctx.session().type() == TransferType.ASCII;
    boolean keepPartial = ctx.server().config().get(ServerOptions.KEEP_PARTIAL_UPLOADS);
    return ctx.blocking(() -> target(ctx, offset, keepPartial)).flatMapMany(target -> TransferRunner.run(ctx,
        mode == Mode.UNIQUE
            ? FtpReply.of(150, "FILE: " + target.name())
            : FtpReply.of(150, "Ok to send data."),
        Direction.UPLOAD, target.path(),
        transfer -> ctx.blocking(() -> open(target, !ascii && ctx.server().config().get(ServerOptions.DIRECT_UPLOADS)))
            .flatMap(opened -> Transfers.receive(transfer, opened.channel(), ascii, ctx.server().blocking(),
                    n -> {
                      if (target.upload() != null) {
                        target.upload().take(n);
                      }
                    }, opened.direct())
                .then(ctx.blocking(() -> {
                  opened.close();
                  if (transfer.aborted()) {
                    throw new IOException("aborted");
                  }
                  if (target.rename()) {
                    Files.move(target.writeTo(), target.path(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                  }
                  if (target.upload() != null) {
                    // a renamed-into-place upload replaced the old file's bytes; the others freed them at open
                    target.upload().commit(target.rename() ? Math.max(0, target.existed()) : 0);
                  }
                  return mode == Mode.UNIQUE
                      ? FtpReply.of(226, "Transfer complete: stored as " + target.name() + ".")
                      : Replies.TRANSFER_COMPLETE;
                }))
                .onErrorResume(e -> ctx.blocking(() -> {
                  // what had arrived stays in the file as it did before direct I/O (a kept partial upload)
                  opened.finishQuietly();
                  opened.close();
                  discard(ctx, target, keepPartial, e instanceof Quotas.ExceededException);
                  return true;
                }).then(Mono.error(e))))));
  }

  private Target target(CommandContext ctx, long offset, boolean keepPartial) throws IOException {
    VirtualPath path;
    if (mode == Mode.UNIQUE) {
      path = unique(ctx);
    } else {
      path = ctx.path();
    }
    if (!path.hasCreatableName()) {
      throw new FtpReplyException(Replies.NAME_NOT_ALLOWED);
    }
    Path real = ctx.real(path);
    if (path.isRoot() || Files.isDirectory(real)) {
      throw new FtpReplyException(Replies.NOT_A_PLAIN_FILE);
    }
    if (!Files.isDirectory(ctx.real(path.parent()))) {
      throw new FtpReplyException(FtpReply.of(553, "Could not create file: no such directory."));
    }
    if (offset > 0) {
      long size = Files.exists(real) ? Files.size(real) : 0;
      if (offset > size) {
        throw new FtpReplyException(FtpReply.of(554, "Invalid REST parameter: beyond the end of the file."));
      }
    }
    boolean rename = mode == Mode.STORE && offset == 0 && !keepPartial;
    Path writeTo = rename ? PartialUploads.partFor(real) : real;
    long existed = Files.isRegularFile(real) ? Files.size(real) : -1;
    Quotas.Upload upload = null;
    var quotas = ctx.server().quotas();
    var limits = TransferRunner.limits(ctx);
    if (quotas.enabled(limits)) {
      boolean newFile = mode == Mode.UNIQUE || existed < 0;
      // what the upload removes before it writes: the tail a REST offset cuts, or the whole file a STOR in place truncates
      long freed = existed < 0 || mode != Mode.STORE || rename ? 0 : existed - offset;
      upload = quotas.startUpload(ctx.user().home(), limits, newFile, freed, rename ? Math.max(0, existed) : 0);
    }
    return new Target(real, writeTo, offset, rename, path.name(), upload, existed);
  }

  private static VirtualPath unique(CommandContext ctx) throws IOException {
    String base = ctx.command().hasArgument() ? ctx.path().name() : "ftp";
    var dir = ctx.command().hasArgument() ? ctx.path().parent() : ctx.session().cwd();
    var candidate = dir.resolve(base);
    for (int i = 1; i <= 1000 && Files.exists(ctx.real(candidate)); i++) {
      candidate = dir.resolve(base + "." + i);
    }
    if (Files.exists(ctx.real(candidate))) {
      throw new FtpReplyException(FtpReply.of(553, "Could not find a unique file name."));
    }
    return candidate;
  }

  /** The upload's channel, and its direct writer where direct I/O is on and fits (binary, from offset 0). */
  private record Opened(FileChannel channel, @Nullable DirectUpload direct) {
    void finishQuietly() {
      if (direct != null) {
        try {
          direct.finish();
        } catch (IOException e) {
          // the upload has failed already; discard decides what stays
        }
      }
    }

    void close() throws IOException {
      if (direct != null) {
        direct.close();
      }
      channel.close();
    }
  }

  /** @param direct whether direct I/O is asked for (--direct-uploads, binary mode): from offset 0 only */
  private Opened open(Target target, boolean direct) throws IOException {
    var channel = openChannel(target);
    boolean fromStart = mode != Mode.APPEND && target.offset() == 0;
    return new Opened(channel, direct && fromStart ? DirectUpload.open(target.writeTo(), channel).orElse(null) : null);
  }

  private FileChannel openChannel(Target target) throws IOException {
    return switch (mode) {
      case APPEND -> FileChannel.open(target.writeTo(), StandardOpenOption.WRITE, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      case UNIQUE -> FileChannel.open(target.writeTo(), StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
      case STORE -> {
        if (target.offset() > 0) {
          var channel = FileChannel.open(target.writeTo(), StandardOpenOption.WRITE);
          channel.truncate(target.offset());
          channel.position(target.offset());
          yield channel;
        }
        yield target.rename()
            ? FileChannel.open(target.writeTo(), StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)
            : FileChannel.open(target.writeTo(), StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
      }
    };
  }

  /**
   * After a failed upload: the temporary file goes; beyond a quota nothing at all stays (an APPE is
   * cut back to its old length, a file written in place goes). The quota counts what stays.
   */
  private void discard(CommandContext ctx, Target target, boolean keepPartial, boolean overQuota) {
    boolean removed = false;
    try {
      if (target.rename() || (mode == Mode.UNIQUE && !keepPartial) || (overQuota && mode == Mode.UNIQUE)) {
        Files.deleteIfExists(target.writeTo());
        removed = true;
      } else if (overQuota && ((mode == Mode.APPEND && target.existed() >= 0) || target.offset() > 0)) {
        // back to what was there before the bytes of this upload: APPE's old length, REST's offset
        try (var channel = FileChannel.open(target.writeTo(), StandardOpenOption.WRITE)) {
          channel.truncate(mode == Mode.APPEND ? target.existed() : target.offset());
        }
        removed = true;
      } else if (overQuota) {
        Files.deleteIfExists(target.writeTo());
        removed = true;
        if (target.upload() != null && target.existed() >= 0) {
          ctx.server().quotas().removed(ctx.user().home(), 0);
        }
      }
    } catch (IOException e) {
      log.warn("could not remove the partial upload {}: {}", target.writeTo(), e.toString());
    }
    if (target.upload() != null) {
      if (removed) {
        target.upload().release();
      } else {
        target.upload().commit(0); // the bytes written stay on disk
      }
    }
  }
}
