package dev.keyhole.ftp.server.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhole.ftp.server.ClientMode;
import dev.keyhole.ftp.server.TestServer;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** LIST, NLST, MLSD and MLST as Commons Net parses them. */
class ListingTest {

  private TestServer server;
  private FTPClient client;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    server.randomFile("docs/readme.txt", 1234);
    server.randomFile("docs/a.iso", 10);
    Files.createDirectories(server.root().resolve("docs/sub"));
    Files.setLastModifiedTime(server.root().resolve("docs/readme.txt"),
        FileTime.from(Instant.parse("2020-03-04T05:06:07Z")));
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      ClientMode.quit(client);
    }
    server.close();
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void listShowsFilesAndDirectoriesInLsFormat(ClientMode mode) throws Exception {
    client = mode.connect(server);
    FTPFile[] files = client.listFiles("/docs");
    assertThat(files).extracting(FTPFile::getName).containsExactlyInAnyOrder("readme.txt", "a.iso", "sub");
    var readme = Arrays.stream(files).filter(f -> f.getName().equals("readme.txt")).findFirst().orElseThrow();
    assertThat(readme.getSize()).isEqualTo(1234);
    assertThat(readme.isFile()).isTrue();
    assertThat(readme.getTimestamp().get(java.util.Calendar.YEAR)).isEqualTo(2020);
    assertThat(Arrays.stream(files).filter(FTPFile::isDirectory)).extracting(FTPFile::getName).containsExactly("sub");
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void nlstListsNames(ClientMode mode) throws Exception {
    client = mode.connect(server);
    assertThat(client.listNames("docs")).containsExactlyInAnyOrder("readme.txt", "a.iso", "sub");
  }

  @ParameterizedTest
  @EnumSource(ClientMode.class)
  void mlsdGivesFacts(ClientMode mode) throws Exception {
    client = mode.connect(server);
    FTPFile[] files = client.mlistDir("docs");
    assertThat(files).extracting(FTPFile::getName).containsExactlyInAnyOrder("readme.txt", "a.iso", "sub");
    var readme = Arrays.stream(files).filter(f -> f.getName().equals("readme.txt")).findFirst().orElseThrow();
    assertThat(readme.getSize()).isEqualTo(1234);
    assertThat(readme.getTimestamp().toInstant()).isEqualTo(Instant.parse("2020-03-04T05:06:07Z"));
    assertThat(readme.getRawListing()).contains("perm=rawdf;").contains("unique=");
  }

  @Test
  void mlstDescribesOneFileOnTheControlConnection() throws Exception {
    client = ClientMode.PASV.connect(server);
    FTPFile file = client.mlistFile("/docs/readme.txt");
    assertThat(file).isNotNull();
    assertThat(file.getSize()).isEqualTo(1234);
    assertThat(file.isFile()).isTrue();
  }

  @Test
  void listOptionsAndGlobsWorkAndMissingPathIs550() throws Exception {
    client = ClientMode.PASV.connect(server);
    assertThat(client.listFiles("-la /docs")).hasSize(3);
    assertThat(client.listNames("/docs/*.iso")).containsExactly("a.iso");
    assertThat(client.listFiles("/nope")).isEmpty();
    assertThat(client.getReplyCode()).isEqualTo(550);
  }

  @Test
  void readOnlyUserSeesOnlyReadPermissions() throws Exception {
    client = ClientMode.PASV.connect(server, "reader", TestServer.PASSWORD);
    var readme = Arrays.stream(client.mlistDir("docs")).filter(f -> f.getName().equals("readme.txt")).findFirst().orElseThrow();
    assertThat(readme.getRawListing()).contains("perm=r;");
  }

  @Test
  void tenThousandEntriesStream() throws Exception {
    var dir = Files.createDirectories(server.root().resolve("many"));
    for (int i = 0; i < 10_000; i++) {
      Files.createFile(dir.resolve("f" + i));
    }
    client = ClientMode.EPSV.connect(server);
    assertThat(client.listNames("many")).hasSize(10_000);
    assertThat(client.mlistDir("many")).hasSize(10_000);
    assertThat(client.listFiles("many")).hasSize(10_000);
  }

  @Test
  void statWithPathListsOnTheControlConnection() throws Exception {
    client = ClientMode.PASV.connect(server);
    assertThat(client.sendCommand("STAT", "/docs")).isEqualTo(213);
    assertThat(client.getReplyString()).contains("readme.txt").contains("End of status");
    assertThat(client.sendCommand("STAT")).isEqualTo(211);
    assertThat(client.getReplyString()).contains("Logged in as user");
  }
}
