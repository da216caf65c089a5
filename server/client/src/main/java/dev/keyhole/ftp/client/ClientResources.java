package dev.keyhole.ftp.client;

import java.time.Duration;
import java.util.concurrent.Executors;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * What {@link FtpClient}s run on: event loops for the connections and a scheduler for file I/O.
 * {@link #shared()} serves every client that names none (daemon threads, never disposed);
 * {@link #create()} makes a set of one's own to dispose, and {@link #of} wraps an application's.
 *
 * @param loops the event loops of control and data connections
 * @param blocking where files are read and written: never an event loop
 */
public record ClientResources(LoopResources loops, Scheduler blocking) implements Disposable {

  private static final ClientResources SHARED = create();

  /** The resources of clients that name none. */
  public static ClientResources shared() {
    return SHARED;
  }

  /** New event loops (one per core, at least two, daemon threads) and virtual threads; dispose them. */
  public static ClientResources create() {
    return new ClientResources(
        LoopResources.create("keyhole-client", 1, Math.max(2, Runtime.getRuntime().availableProcessors()), true),
        Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor(), "keyhole-client-vt"));
  }

  /** The application's own: its event loops and blocking scheduler. */
  public static ClientResources of(LoopResources loops, Scheduler blocking) {
    return new ClientResources(loops, blocking);
  }

  /** Releases the event loops and the scheduler; the shared resources are never released. */
  @Override
  public void dispose() {
    if (this == SHARED) {
      return;
    }
    loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    blocking.dispose();
  }

  @Override
  public boolean isDisposed() {
    return loops.isDisposed() && blocking.isDisposed();
  }
}
