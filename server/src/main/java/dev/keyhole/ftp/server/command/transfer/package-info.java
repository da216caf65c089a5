@NullMarked
package dev.keyhole.ftp.server.command.transfer;

import org.jspecify.annotations.NullMarked;
