@NullMarked
package dev.keyhole.ftp.server.metrics;

import org.jspecify.annotations.NullMarked;
