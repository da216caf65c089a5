/** {@code keyhole alg}: the ALG on the command line. */
@NullMarked
package dev.keyhole.ftp.alg.cli;

import org.jspecify.annotations.NullMarked;
