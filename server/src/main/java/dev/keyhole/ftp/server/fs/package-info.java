/**
 * File systems: the {@link dev.keyhole.ftp.server.fs.FileSystemFactory} SPI over any
 * {@code java.nio.file} file system, the jail that keeps a user in its root, and virtual paths.
 */
@NullMarked
package dev.keyhole.ftp.server.fs;

import org.jspecify.annotations.NullMarked;
