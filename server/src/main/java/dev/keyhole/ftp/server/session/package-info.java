@NullMarked
package dev.keyhole.ftp.server.session;

import org.jspecify.annotations.NullMarked;
