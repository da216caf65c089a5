@NullMarked
package dev.keyhole.ftp.cli;

import org.jspecify.annotations.NullMarked;
