@NullMarked
package dev.keyhole.ftp.server.command.navigation;

import org.jspecify.annotations.NullMarked;
