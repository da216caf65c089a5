/** The FTPS commands of RFC 4217 (AUTH, PBSZ, PROT, CCC) and the policy that requires TLS. */
@NullMarked
package dev.keyhole.ftp.server.command.security;

import org.jspecify.annotations.NullMarked;
