@NullMarked
package dev.keyhole.ftp.server;

import org.jspecify.annotations.NullMarked;
