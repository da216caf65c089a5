@NullMarked
package dev.keyhole.ftp.server.command.auth;

import org.jspecify.annotations.NullMarked;
