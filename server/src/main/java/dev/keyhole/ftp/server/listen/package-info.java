@NullMarked
package dev.keyhole.ftp.server.listen;

import org.jspecify.annotations.NullMarked;
