@NullMarked
package dev.keyhole.ftp.server.fs;

import org.jspecify.annotations.NullMarked;
