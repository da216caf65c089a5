@NullMarked
package dev.keyhole.ftp.server.command.datachannel;

import org.jspecify.annotations.NullMarked;
