/**
 * The load generator: scenarios driven by the reactive client, peers started side by side, and
 * reports. {@code ./keyhole load --help}; docs/benchmarks.md.
 */
@NullMarked
package dev.keyhole.ftp.load;

import org.jspecify.annotations.NullMarked;
