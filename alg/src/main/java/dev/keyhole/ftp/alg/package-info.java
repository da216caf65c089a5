/**
 * The FTP application-layer gateway: a user-space proxy that terminates the client's and the
 * server's TCP connections and relays between them, rewriting what must change for NAT46
 * (draft-tsou-behave-ftp46-00), NAT64 (RFC 6384) and single-port bridging
 * (draft-rosenau-ftp-single-port-05).
 */
@NullMarked
package dev.keyhole.ftp.alg;

import org.jspecify.annotations.NullMarked;
