package dev.keyhole.ftp.server;

import java.io.IOException;
import java.net.InetAddress;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/** The data-channel kinds a Commons Net client can use, for parameterised tests. */
public enum ClientMode {
  PASV, EPSV, PORT, EPRT;

  /** A Commons Net client connected to the server, logged in as the test user, in binary mode. */
  public FTPClient connect(TestServer server) throws IOException {
    return connect(server, TestServer.USER, TestServer.PASSWORD);
  }

  public FTPClient connect(TestServer server, String user, String password) throws IOException {
    var client = this == EPRT ? new EprtClient() : new FTPClient();
    client.setConnectTimeout(5000);
    client.setDefaultTimeout(10_000);
    client.setDataTimeout(java.time.Duration.ofSeconds(10));
    client.setControlEncoding("UTF-8");
    client.connect(server.host(), server.port());
    client.setSoTimeout(10_000);
    if (!client.login(user, password)) {
      throw new IOException("login failed: " + client.getReplyString());
    }
    apply(client);
    client.setFileType(FTP.BINARY_FILE_TYPE);
    return client;
  }

  public void apply(FTPClient client) {
    switch (this) {
      case PASV -> {
        client.enterLocalPassiveMode();
        client.setUseEPSVwithIPv4(false);
      }
      case EPSV -> {
        client.enterLocalPassiveMode();
        client.setUseEPSVwithIPv4(true);
      }
      case PORT, EPRT -> client.enterLocalActiveMode();
    }
  }

  /** Commons Net sends EPRT only over IPv6; this client sends it over IPv4 too. */
  static final class EprtClient extends FTPClient {
    @Override
    public int port(InetAddress host, int port) throws IOException {
      return eprt(host, port);
    }
  }

  public static void quit(FTPClient client) {
    try {
      if (client.isConnected()) {
        client.logout();
        client.disconnect();
      }
    } catch (IOException e) {
      // the test's assertions have run
    }
  }
}
