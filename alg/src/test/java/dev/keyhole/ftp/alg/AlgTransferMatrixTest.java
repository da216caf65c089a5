package dev.keyhole.ftp.alg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.LogCapture;
import dev.keyhole.ftp.server.ProbeClient.Kind;
import dev.keyhole.ftp.server.TestServer;
import dev.keyhole.ftp.server.TransferMatrix;
import dev.keyhole.ftp.server.api.ServerOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transfer matrix through each ALG mode, for every data-channel kind the mode carries: nat46
 * (IPv4 clients, IPv6 server), nat64 (IPv6 clients, IPv4 server), spsv-gateway (SPSV, and the
 * other kinds relayed through the gateway's ports) and spsv-adapter (any kind, toward a
 * single-port server). Clear only: after AUTH TLS every mode copies the session byte for byte,
 * untranslated (RFC 6384 section 4). A relay that fails must fail the transfer on both sides:
 * the server's file intact, the client's reply 425 or 426.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlgTransferMatrixTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** What each mode carries, and where its client and server are. */
  private static final Map<AlgMode, Set<Kind>> KINDS = Map.of(
      AlgMode.NAT46, EnumSet.of(Kind.PASV, Kind.EPSV, Kind.PORT, Kind.EPRT),
      AlgMode.NAT64, EnumSet.of(Kind.EPSV, Kind.EPRT),
      AlgMode.SPSV_GATEWAY, EnumSet.allOf(Kind.class),
      AlgMode.SPSV_ADAPTER, EnumSet.of(Kind.PASV, Kind.EPSV, Kind.PORT, Kind.EPRT));

  private final Map<AlgMode, TestServer> servers = new EnumMap<>(AlgMode.class);
  private final Map<AlgMode, DisposableAlg> algs = new EnumMap<>(AlgMode.class);
  private final Map<AlgMode, TransferMatrix> matrices = new EnumMap<>(AlgMode.class);
  private LogCapture log;

  @BeforeAll
  void start() {
    log = LogCapture.attach();
    for (AlgMode mode : AlgMode.values()) {
      String serverHost = mode == AlgMode.NAT46 ? "::1" : "127.0.0.1";
      String listenHost = mode == AlgMode.NAT64 ? "::1" : "127.0.0.1";
      var server = TestServer.start(serverHost, s -> {
        var configured = s.option(ServerOptions.IDLE_TIMEOUT, TIMEOUT).option(ServerOptions.DATA_CONNECTION_TIMEOUT, TIMEOUT).option(ServerOptions.SPSV_TIMEOUT, TIMEOUT);
        return mode == AlgMode.SPSV_ADAPTER ? configured.singlePort() : configured;
      });
      servers.put(mode, server);
      var listener = new AlgListener(new InetSocketAddress(listenHost, 0), new InetSocketAddress(serverHost, server.port()), mode);
      var alg = FtpAlg.from(AlgConfig.of(List.of(listener)).with(AlgOptions.MAPPING_TIMEOUT, TIMEOUT).with(AlgOptions.IDLE_TIMEOUT, TIMEOUT))
          .bind().block(Duration.ofSeconds(20));
      algs.put(mode, alg);
      var address = alg.addresses().get(0);
      matrices.put(mode, new TransferMatrix(server, address.getAddress().getHostAddress(), address.getPort(), TIMEOUT));
    }
  }

  @AfterAll
  void stop() throws Exception {
    try {
      assertThat(log.errors()).as("logged at ERROR").isEmpty();
    } finally {
      for (AlgMode mode : AlgMode.values()) {
        matrices.get(mode).close();
        algs.get(mode).disposeNow(Duration.ofSeconds(5));
        servers.get(mode).close();
      }
      log.close();
    }
  }

  Stream<Arguments> cells() {
    var all = new ArrayList<Arguments>();
    // -Dkeyhole.matrix.mode=NAT46 runs one mode's cells only (with -Dkeyhole.matrix.only, one cell)
    String only = System.getProperty("keyhole.matrix.mode", "");
    for (AlgMode mode : AlgMode.values()) {
      if (mode.name().contains(only)) {
        TransferMatrix.cells(KINDS.get(mode), false).forEach(cell -> all.add(Arguments.of(mode, cell)));
      }
    }
    return all.stream();
  }

  // the cells run side by side; the class itself, like every other, alone (classes run one at a time)
  @Execution(ExecutionMode.CONCURRENT)
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cells")
  void transfer(AlgMode mode, TransferMatrix.Cell cell) throws Exception {
    matrices.get(mode).run(cell);
  }
}
