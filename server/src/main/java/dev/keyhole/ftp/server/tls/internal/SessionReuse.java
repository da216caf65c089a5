package dev.keyhole.ftp.server.tls.internal;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Whether a data connection's TLS handshake resumed its control connection's session. Each
 * session has a TLS context of its own when reuse is required ({@link ServerTls#contextForSession}),
 * so the only sessions a data connection can resume are its control connection's (and the ones
 * resumed from it).
 */
public final class SessionReuse {

  private SessionReuse() {}

  public static boolean resumes(SSLSession control, SSLEngine data) {
    if (data instanceof ReferenceCountedOpenSslEngine openSsl) {
      return SSL.isSessionReused(openSsl.sslPointer());
    }
    // the JDK says nothing about resumption: a TLS 1.2 session resumed keeps its identifier, and
    // a TLS 1.3 one (new identifier) keeps its creation time, which a new session cannot share
    SSLSession session = data.getSession();
    byte[] id = session.getId();
    return (id.length > 0 && Arrays.equals(control.getId(), id))
        || session.getCreationTime() == control.getCreationTime();
  }
}
