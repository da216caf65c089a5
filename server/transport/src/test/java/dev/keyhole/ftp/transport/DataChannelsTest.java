package dev.keyhole.ftp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataChannelsTest {

  @Test
  void defaultPassivePortsStayBelowTheKernelsEphemeralRange() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    var chosen = DataChannels.defaultRange();
    if (!Files.exists(range)) {
      assertThat(chosen).isEmpty();
      return;
    }
    String line;
    try (var reader = new BufferedReader(new FileReader(range.toFile()))) {
      line = reader.readLine();
    }
    int ephemeralStart = Integer.parseInt(line.trim().split("\\s+")[0]);
    if (ephemeralStart <= DataChannels.DEFAULT_LOW_PORT + 1000) {
      assertThat(chosen).isEmpty();
      return;
    }
    assertThat(chosen).hasValueSatisfying(r -> {
      assertThat(r.from()).isEqualTo(DataChannels.DEFAULT_LOW_PORT);
      assertThat(r.to()).isEqualTo(ephemeralStart - 1);
    });
  }
}
