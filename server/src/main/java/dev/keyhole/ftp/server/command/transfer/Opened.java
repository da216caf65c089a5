package dev.keyhole.ftp.server.command.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file opened for a download before its data connection exists, so that a missing file is
 * answered 550 without a data connection. It is closed when the command ends, whether a transfer
 * used it or no data connection came; closing twice is harmless.
 */
record Opened(Path path, FileChannel channel, long size) {

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // opened for reading: nothing is lost
    }
  }
}
