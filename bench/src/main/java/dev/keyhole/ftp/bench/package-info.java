/**
 * JMH micro-benchmarks of the server's hot paths: the codec, dispatch, SPSV identifiers, path
 * mapping, listing lines and address parsing. Run them with {@code ./keyhole bench}.
 */
@NullMarked
package dev.keyhole.ftp.bench;

import org.jspecify.annotations.NullMarked;
