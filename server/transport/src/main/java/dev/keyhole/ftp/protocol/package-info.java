/**
 * The wire codec of the FTP control channel, shared by server, client and ALG: commands and
 * replies as values, one Telnet-aware line splitter and one reply splitter under every decoder,
 * byte-exact lines and replies for the ALG, and the address formats of PORT, EPRT, 227 and 229.
 */
@NullMarked
package dev.keyhole.ftp.protocol;

import org.jspecify.annotations.NullMarked;
