package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.protocol.FtpReply;
import org.reactivestreams.Publisher;

/**
 * Handles one verb. Most handlers answer one reply (a {@code Mono}); transfers answer a
 * preliminary 150 and then their final reply (a {@code Flux}). The dispatcher has already checked
 * login, argument and permission. A handler never writes replies itself; errors are turned into
 * replies by {@link Replies#fromError}.
 */
@FunctionalInterface
public interface CommandHandler {

  Publisher<FtpReply> handle(CommandContext ctx);
}
