/**
 * FTPS (RFC 4217): the server's TLS settings, its certificate (PEM files or a self-signed one made
 * at first start), the TLS engines for control and data connections, and the check that a data
 * connection resumed its control connection's TLS session.
 */
@NullMarked
package dev.keyhole.ftp.server.tls;

import org.jspecify.annotations.NullMarked;
