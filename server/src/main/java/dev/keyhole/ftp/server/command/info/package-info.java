@NullMarked
package dev.keyhole.ftp.server.command.info;

import org.jspecify.annotations.NullMarked;
