/**
 * Authentication: the {@link dev.keyhole.ftp.server.auth.Authenticator} SPI, users, accounts,
 * permissions and password hashes.
 */
@NullMarked
package dev.keyhole.ftp.server.auth;

import org.jspecify.annotations.NullMarked;
