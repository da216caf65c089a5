package dev.keyhole.ftp.client;

import dev.keyhole.ftp.protocol.FtpReply;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/** Replies as they arrive on the control connection, handed out in order to whoever waits next. */
final class ReplyQueue {

  private final ArrayDeque<FtpReply> ready = new ArrayDeque<>();
  private final ArrayDeque<MonoSink<FtpReply>> waiting = new ArrayDeque<>();
  private @Nullable Throwable closed;

  void offer(FtpReply reply) {
    MonoSink<FtpReply> waiter;
    synchronized (this) {
      waiter = waiting.poll();
      if (waiter == null) {
        ready.add(reply);
        return;
      }
    }
    waiter.success(reply);
  }

  void close(Throwable reason) {
    ArrayDeque<MonoSink<FtpReply>> toFail;
    synchronized (this) {
      if (closed != null) {
        return;
      }
      closed = reason;
      toFail = new ArrayDeque<>(waiting);
      waiting.clear();
    }
    toFail.forEach(sink -> sink.error(reason));
  }

  Mono<FtpReply> next() {
    return Mono.create(sink -> {
      FtpReply reply;
      Throwable error;
      synchronized (this) {
        reply = ready.poll();
        error = closed;
        if (reply == null && error == null) {
          waiting.add(sink);
          return;
        }
      }
      if (reply != null) {
        sink.success(reply);
      } else {
        sink.error(error);
      }
    });
  }
}
