package dev.keyhole.ftp.server.command.files;

import dev.keyhole.ftp.server.data.FileEntry;
import dev.keyhole.ftp.server.data.PartialUploads;
import dev.keyhole.ftp.server.fs.VirtualPath;
import dev.keyhole.ftp.server.handler.CommandContext;
import dev.keyhole.ftp.server.handler.FtpReplyException;
import dev.keyhole.ftp.server.handler.Replies;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a listing command lists: a directory (streamed entry by entry on a virtual thread, so that
 * 10,000 entries never block an event loop nor sit in memory), one file, or the files of a
 * directory that match a glob in the last name ({@code LIST *.iso}, as vsftpd allows).
 *
 * @param path the directory or file
 * @param directory whether {@code path} is a directory whose entries are listed
 * @param glob the pattern the entries' names must match
 */
record ListingSource(Path path, boolean directory, Optional<PathMatcher> glob) {

  /** Resolves a listing argument; fails with 550 when there is nothing to list. Blocking. */
  static ListingSource resolve(CommandContext ctx, VirtualPath target) throws IOException {
    Path real = ctx.real(target);
    if (Files.isDirectory(real)) {
      return new ListingSource(real, true, Optional.empty());
    }
    if (Files.exists(real)) {
      return new ListingSource(real, false, Optional.empty());
    }
    String name = target.name();
    if (name.contains("*") || name.contains("?") || name.contains("[")) {
      Path dir = ctx.real(target.parent());
      if (Files.isDirectory(dir)) {
        try {
          return new ListingSource(dir, true, Optional.of(dir.getFileSystem().getPathMatcher("glob:" + name)));
        } catch (PatternSyntaxException | UnsupportedOperationException e) {
          throw new FtpReplyException(Replies.NO_SUCH_FILE);
        }
      }
    }
    throw new NoSuchFileException(target.toString());
  }

  /** Strips {@code ls} options such as {@code -la} that clients put before a LIST/NLST path. */
  static String withoutOptions(String argument) {
    String a = argument.trim();
    while (a.startsWith("-")) {
      int space = a.indexOf(' ');
      if (space < 0) {
        return "";
      }
      a = a.substring(space + 1).trim();
    }
    return a;
  }

  /** The entries, read on the blocking scheduler as the consumer requests them. */
  Flux<FileEntry> entries(CommandContext ctx) {
    if (!directory) {
      return ctx.blocking(() -> FileEntry.read(path, path.getFileName().toString())).flux();
    }
    return Flux.<Path, DirectoryStream<Path>>using(
            () -> Files.newDirectoryStream(path),
            Flux::fromIterable,
            ListingSource::closeQuietly)
        // uploads in progress are written to hidden temporary files: never listed
        .filter(p -> !PartialUploads.isPartName(p.getFileName().toString()))
        .filter(p -> glob.map(g -> g.matches(p.getFileName())).orElse(true))
        .<FileEntry>handle((p, sink) -> {
          try {
            sink.next(FileEntry.read(p, p.getFileName().toString()));
          } catch (IOException e) {
            // removed between readdir and stat: not listed
          }
        })
        .subscribeOn(ctx.server().blocking());
  }

  private static void closeQuietly(DirectoryStream<Path> stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // the listing is complete
    }
  }

  static Mono<ListingSource> of(CommandContext ctx, VirtualPath target) {
    return ctx.blocking(() -> resolve(ctx, target));
  }
}
