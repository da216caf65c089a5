@NullMarked
package dev.keyhole.ftp.server.command.files;

import org.jspecify.annotations.NullMarked;
