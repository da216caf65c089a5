@NullMarked
package dev.keyhole.ftp.server.data;

import org.jspecify.annotations.NullMarked;
