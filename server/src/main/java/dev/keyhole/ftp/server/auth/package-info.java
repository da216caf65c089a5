@NullMarked
package dev.keyhole.ftp.server.auth;

import org.jspecify.annotations.NullMarked;
