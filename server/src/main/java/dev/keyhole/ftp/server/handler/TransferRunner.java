package dev.keyhole.ftp.server.handler;

import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.auth.UserLimits;
import dev.keyhole.ftp.server.data.Transfer;
import dev.keyhole.ftp.server.metrics.FtpMetricsRecorder.Direction;
import dev.keyhole.ftp.server.session.TransferType;
import dev.keyhole.ftp.transport.DataChannelSetup;
import dev.keyhole.ftp.transport.DataConnectionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The frame of every transfer command: take the data channel that PASV/PORT prepared (425 without
 * one), wait for its connection, answer the preliminary reply, run the transfer, close the data
 * connection and only then answer the final reply, as clients that wait for both expect. The
 * transfer is registered with the session so that ABOR and STAT can reach it.
 */
public final class TransferRunner {

  private static final Logger log = LoggerFactory.getLogger(TransferRunner.class);

  private TransferRunner() {}

  /**
   * Runs a transfer.
   *
   * @param preliminary the 150 reply, sent once the data connection is there
   * @param direction what kind of transfer, for metrics and events
   * @param path the file transferred, for events; null for listings
   * @param work moves the bytes and answers the final reply (226 or an error reply)
   */
  public static Flux<FtpReply> run(CommandContext ctx, FtpReply preliminary, Direction direction,
      @Nullable Path path, Function<Transfer, Mono<FtpReply>> work) {
    var session = ctx.session();
    Optional<DataChannelSetup> setup = session.takeDataChannel();
    if (setup.isEmpty()) {
      return Flux.just(Replies.USE_PORT_OR_PASV);
    }
    var refusal = TlsPolicy.transferRefusal(ctx);
    if (refusal.isPresent()) {
      setup.get().close();
      return Flux.just(refusal.get());
    }
    String description = ctx.command().verb() + " " + (path == null ? ctx.session().cwd() : ctx.path());
    return setup.get().connection()
        .doOnSubscribe(s -> session.opening(setup))
        // cleared before the connection (or the 425) travels on, not after
        .doOnTerminate(() -> session.opening(Optional.empty()))
        .doOnCancel(() -> session.opening(Optional.empty()))
        .flatMapMany(connection -> {
          var transfer = new Transfer(connection, description);
          ctx.server().rates().install(connection.channel(), limits(ctx));
          session.transfer(Optional.of(transfer));
          long start = System.nanoTime();
          Mono<FtpReply> result = DataTls.secure(ctx, connection)
              .then(Mono.defer(() -> work.apply(transfer)))
              // a complete transfer ends with a clean close once its last byte left; a failed one
              // that sent bytes with a reset, so that a client never takes a truncated download
              // for whole (one that sent nothing closes cleanly: the client reads the reply)
              .flatMap(reply -> connection.close().thenReturn(reply))
              .onErrorResume(e -> {
                var reply = failure(transfer, e);
                if (connection.bytesSent() > 0 || !connection.isActive()) {
                  connection.abort();
                  return Mono.just(reply);
                }
                return connection.close().onErrorResume(closing -> Mono.empty()).thenReturn(reply);
              })
              .doOnNext(reply -> {
                // before the final reply leaves: a command the client sends on reading it is not "during" this transfer
                session.transfer(Optional.empty());
                finished(ctx, direction, path, transfer, reply, start);
              })
              .doFinally(s -> {
                session.transfer(Optional.empty());
                connection.dispose();
              });
          return Flux.concat(Mono.just(preliminary), result);
        })
        .onErrorResume(e -> Flux.just(session.abortRequested() ? Replies.TRANSFER_ABORTED : Replies.fromError(e)));
  }

  /** The logged-in user's own limits, or none. */
  public static UserLimits limits(CommandContext ctx) {
    return ctx.session().isLoggedIn() ? ctx.session().loggedIn().user().limits() : UserLimits.SERVER_DEFAULTS;
  }

  private static FtpReply failure(Transfer transfer, Throwable e) {
    if (transfer.aborted()) {
      return Replies.TRANSFER_ABORTED;
    }
    if (e instanceof FtpReplyException refused) {
      return refused.reply();
    }
    if (!transfer.connection().isActive() || e instanceof DataConnectionException) {
      log.debug("transfer {} ended by the connection: {}", transfer.description(), e.toString());
      return Replies.TRANSFER_ABORTED;
    }
    return Replies.fromError(e);
  }

  private static void finished(CommandContext ctx, Direction direction, @Nullable Path path, Transfer transfer,
      FtpReply reply, long start) {
    var session = ctx.session();
    boolean success = reply.code() == 226 || reply.code() == 250;
    var duration = Duration.ofNanos(System.nanoTime() - start);
    ctx.server().config().metrics().transferCompleted(ctx.host().map(VirtualHost::name).orElse("default"), direction,
        success, transfer.bytes(), duration);
    if (ctx.server().rates().limits(transfer.connection().channel(), direction == Direction.UPLOAD)) {
      ctx.server().config().metrics().throttled(direction, transfer.bytes());
    }
    if (path != null && direction != Direction.LISTING) {
      var eventDirection = direction == Direction.UPLOAD ? FtpEvent.Direction.UPLOAD : FtpEvent.Direction.DOWNLOAD;
      ctx.server().publish(new FtpEvent.TransferCompleted(session.id(), session.userName(), session.remote(),
          eventDirection, path, transfer.bytes(), duration, success, session.type() == TransferType.ASCII,
          session.isLoggedIn() && session.loggedIn().user().anonymous()));
      log.info("session {} {}: {} {} bytes in {} ms: {}", session.id(), session.userName(), transfer.description(),
          transfer.bytes(), duration.toMillis(), reply.code());
    }
  }
}
