@NullMarked
package dev.keyhole.ftp.server.command;

import org.jspecify.annotations.NullMarked;
