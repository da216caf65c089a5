/** The ALG's meters: a recorder interface and its Micrometer implementation, as the server's. */
@NullMarked
package dev.keyhole.ftp.alg.metrics;

import org.jspecify.annotations.NullMarked;
