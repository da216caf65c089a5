package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.ProbeClient.Kind;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.TransferMatrix;
import dev.keyhole.ftp.server.api.FtpEvent;
import dev.keyhole.ftp.server.api.ServerOptions;
import dev.keyhole.ftp.server.metrics.FtpMeters;
import dev.keyhole.ftp.server.metrics.MicrometerFtpMetricsRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transfer matrix against the server directly: every data-channel kind, clear and under PROT
 * P, downloads and uploads, each read or written normally, slower than the timeouts, aborted,
 * reset, or never connected ({@link TransferMatrix}). Cells run concurrently against one server;
 * at the end the byte meters must equal the bytes of the transfer events, and nothing may have
 * been logged at ERROR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferMatrixTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private LogCapture log;
  private TestServer server;
  private TransferMatrix matrix;

  @BeforeAll
  void start() {
    log = LogCapture.attach();
    server = TestServer.startTls(tls -> tls, s -> s
        .option(ServerOptions.IDLE_TIMEOUT, TIMEOUT)
        .option(ServerOptions.DATA_CONNECTION_TIMEOUT, TIMEOUT)
        .option(ServerOptions.SPSV_TIMEOUT, TIMEOUT)
        .metrics(new MicrometerFtpMetricsRecorder(registry)));
    matrix = new TransferMatrix(server, server.host(), server.port(), TIMEOUT);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      assertThat(registry.counter(FtpMeters.BYTES_SENT.meterName()).count())
          .as("keyhole_data_sent_bytes_total").isEqualTo((double) matrix.eventBytes(FtpEvent.Direction.DOWNLOAD));
      assertThat(registry.counter(FtpMeters.BYTES_RECEIVED.meterName()).count())
          .as("keyhole_data_received_bytes_total").isEqualTo((double) matrix.eventBytes(FtpEvent.Direction.UPLOAD));
      assertThat(log.errors()).as("logged at ERROR").isEmpty();
    } finally {
      matrix.close();
      server.close();
      log.close();
    }
  }

  static Stream<TransferMatrix.Cell> cells() {
    return TransferMatrix.cells(EnumSet.allOf(Kind.class), true);
  }

  // the cells run side by side; the class itself, like every other, alone (classes run one at a time)
  @Execution(ExecutionMode.CONCURRENT)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void transfer(TransferMatrix.Cell cell) throws Exception {
    matrix.run(cell);
  }
}
