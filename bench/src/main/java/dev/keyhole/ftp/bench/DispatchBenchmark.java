package dev.keyhole.ftp.bench;

import dev.keyhole.ftp.protocol.FtpCommand;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.server.FtpServer;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.command.CommandDispatcher;
import dev.keyhole.ftp.server.command.CommandTable;
import dev.keyhole.ftp.server.data.RateLimits;
import dev.keyhole.ftp.server.session.Bans;
import dev.keyhole.ftp.server.session.FtpSession;
import dev.keyhole.ftp.server.session.ServerContext;
import dev.keyhole.ftp.transport.DataChannels;
import dev.keyhole.ftp.transport.SpdtRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.resources.LoopResources;

/**
 * The command table check and dispatch of commands that answer from memory (no file system): what
 * every command pays before its handler's own work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

  private CommandDispatcher dispatcher;
  private FtpSession session;
  private ServerContext context;
  private LoopResources loops;
  private final FtpCommand noop = new FtpCommand("NOOP", "");
  private final FtpCommand type = new FtpCommand("TYPE", "I");
  private final FtpCommand unknown = new FtpCommand("XYZZY", "");
  private final FtpCommand notLoggedIn = new FtpCommand("RETR", "file");

  @Setup
  public void setup() {
    loops = LoopResources.create("bench", 1, 1, true);
    var config = FtpServer.create().configuration();
    context = new ServerContext(config, Schedulers.immediate(),
        new DataChannels(loops, Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        Sinks.many().multicast().<FtpEvent>directBestEffort(), new SpdtRegistry(10, Duration.ofSeconds(5)), Optional.empty(),
        new Bans(config), new RateLimits(config, loops.onServer(true)));
    dispatcher = new CommandDispatcher(CommandTable.standard());
    var address = new InetSocketAddress("127.0.0.1", 2121);
    session = new FtpSession(1, Connection.from(new EmbeddedChannel()), address, address);
  }

  @TearDown
  public void tearDown() {
    loops.dispose();
  }

  private FtpReply run(FtpCommand command) {
    return dispatcher.dispatch(session, command, context).blockLast();
  }

  @Benchmark
  public FtpReply noop() {
    return run(noop);
  }

  @Benchmark
  public FtpReply typeI() {
    return run(type);
  }

  @Benchmark
  public FtpReply unknownVerb() {
    return run(unknown);
  }

  @Benchmark
  public FtpReply refusedBeforeLogin() {
    return run(notLoggedIn);
  }
}
