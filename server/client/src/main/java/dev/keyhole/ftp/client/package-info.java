/**
 * A reactive FTP client on Reactor Netty, with every data-channel kind (PASV, EPSV, PORT, EPRT
 * and SPSV). The load generator and the ALG reuse it; {@code keyhole ftp} puts it on the command
 * line.
 */
@NullMarked
package dev.keyhole.ftp.client;

import org.jspecify.annotations.NullMarked;
