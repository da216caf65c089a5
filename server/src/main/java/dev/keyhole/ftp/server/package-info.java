/**
 * The embeddable FTP server: {@link dev.keyhole.ftp.server.FtpServer}, an immutable builder, and
 * {@link dev.keyhole.ftp.server.DisposableFtpServer}, the running server.
 */
@NullMarked
package dev.keyhole.ftp.server;

import org.jspecify.annotations.NullMarked;
