@NullMarked
package dev.keyhole.ftp.protocol;

import org.jspecify.annotations.NullMarked;
