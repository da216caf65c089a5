/**
 * Meters: the recorder SPI, its Micrometer implementation, and the documented meter names.
 */
@NullMarked
package dev.keyhole.ftp.server.metrics;

import org.jspecify.annotations.NullMarked;
