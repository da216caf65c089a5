@NullMarked
package dev.keyhole.ftp.server.handler;

import org.jspecify.annotations.NullMarked;
