package dev.keyhole.ftp.load;

import java.nio.file.Path;
import java.util.List;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/** Runs Apache FtpServer as a peer: {@code ApachePeerMain PORT ROOT USER PASSWORD}, on 127.0.0.1. */
public final class ApachePeerMain {

  private ApachePeerMain() {}

  public static void main(String[] args) throws Exception {
    var factory = new FtpServerFactory();
    var listener = new ListenerFactory();
    listener.setServerAddress("127.0.0.1");
    listener.setPort(Integer.parseInt(args[0]));
    factory.addListener("default", listener.createListener());
    var user = new BaseUser();
    user.setName(args[2]);
    user.setPassword(args[3]);
    user.setHomeDirectory(Path.of(args[1]).toAbsolutePath().toString());
    List<Authority> authorities = List.of(new WritePermission(), new ConcurrentLoginPermission(0, 0));
    user.setAuthorities(authorities);
    factory.getUserManager().save(user);
    var connectionConfig = new ConnectionConfigFactory();
    connectionConfig.setMaxLogins(20_000);
    connectionConfig.setMaxThreads(0);
    factory.setConnectionConfig(connectionConfig.createConnectionConfig());
    factory.createServer().start();
  }
}
