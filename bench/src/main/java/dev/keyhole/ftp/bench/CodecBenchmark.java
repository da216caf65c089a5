package dev.keyhole.ftp.bench;

import dev.keyhole.ftp.protocol.FtpCommandDecoder;
import dev.keyhole.ftp.protocol.FtpReply;
import dev.keyhole.ftp.protocol.FtpReplyEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The control-connection codec as Netty drives it: command lines arriving in {@code ByteBuf}s
 * (whole, and split in two as TCP may deliver them), and replies written out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

  private static final byte[] LINE = "RETR /pub/releases/keyhole-0.1.0.tar.gz\r\n".getBytes(StandardCharsets.US_ASCII);

  private EmbeddedChannel decoder;
  private EmbeddedChannel encoder;
  private ByteBuf whole;
  private ByteBuf head;
  private ByteBuf tail;
  private final FtpReply reply = FtpReply.of(226, "Transfer complete.");

  @Setup
  public void setup() {
    decoder = new EmbeddedChannel(new FtpCommandDecoder());
    encoder = new EmbeddedChannel(FtpReplyEncoder.INSTANCE);
    whole = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(LINE));
    head = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(LINE, 0, 17));
    tail = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(LINE, 17, LINE.length - 17));
  }

  @Benchmark
  public Object decodeLine() {
    decoder.writeInbound(whole.duplicate());
    return decoder.readInbound();
  }

  @Benchmark
  public Object decodeLineSplitInTwo() {
    decoder.writeInbound(head.duplicate());
    decoder.writeInbound(tail.duplicate());
    return decoder.readInbound();
  }

  @Benchmark
  public int encodeReply() {
    encoder.writeOutbound(reply);
    ByteBuf out = encoder.readOutbound();
    int n = out.readableBytes();
    out.release();
    return n;
  }
}
