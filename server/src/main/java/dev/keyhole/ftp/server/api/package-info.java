@NullMarked
package dev.keyhole.ftp.server.api;

import org.jspecify.annotations.NullMarked;
