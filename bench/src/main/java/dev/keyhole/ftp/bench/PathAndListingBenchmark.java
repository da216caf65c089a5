package dev.keyhole.ftp.bench;

import dev.keyhole.ftp.protocol.AddressFormats;
import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.auth.User;
import dev.keyhole.ftp.server.data.FileEntry;
import dev.keyhole.ftp.server.data.ListingFormatter;
import dev.keyhole.ftp.server.data.MlstFacts;
import dev.keyhole.ftp.server.fs.VirtualPath;
import dev.keyhole.ftp.transport.SpdtRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
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
import reactor.core.scheduler.Schedulers;

/** Virtual-path resolution, LIST and MLSD lines, address parsing and SPSV identifiers. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PathAndListingBenchmark {

  private final VirtualPath cwd = VirtualPath.ROOT.resolve("/pub/releases/2026");
  private final User user = new User("bench", Path.of("/"), EnumSet.allOf(Permission.class), false);
  private final Instant now = Instant.now();
  private final InetAddress client = InetAddress.getLoopbackAddress();
  private Path dir;
  private FileEntry entry;
  private SpdtRegistry registry;

  @Setup
  public void setup() throws Exception {
    dir = Files.createTempDirectory("keyhole-bench");
    Path file = Files.writeString(dir.resolve("keyhole-0.1.0.tar.gz"), "x".repeat(1000));
    entry = FileEntry.read(file, "keyhole-0.1.0.tar.gz");
    registry = new SpdtRegistry(1_000_000, Duration.ofMinutes(10));
  }

  @TearDown
  public void tearDown() throws Exception {
    Files.deleteIfExists(dir.resolve("keyhole-0.1.0.tar.gz"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public VirtualPath resolveRelativePath() {
    return cwd.resolve("../2025/./keyhole-0.0.9.tar.gz");
  }

  @Benchmark
  public String listLine() {
    return ListingFormatter.list(entry, now);
  }

  @Benchmark
  public String mlsdLine() {
    return ListingFormatter.facts(entry, MlstFacts.ALL, user);
  }

  @Benchmark
  public Object parsePort() {
    return AddressFormats.parseHostPort("127,0,0,1,195,80");
  }

  @Benchmark
  public Object parseEprt() {
    return AddressFormats.parseEprt("|2|::1|50000|");
  }

  @Benchmark
  public Optional<Integer> parseEpsvReply() {
    return AddressFormats.parseEpsvReply("Entering Extended Passive Mode (|||50000|)");
  }

  @Benchmark
  public boolean spsvIssueAndBind() {
    String id = registry.issue(1, client, false, Schedulers.parallel()).orElseThrow().identifier();
    var binding = registry.take(id, client).orElseThrow();
    binding.close(); // what delivering it does: cancel its expiry timer
    return true;
  }
}
