package dev.keyhole.ftp.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target: a configuration file either configures a server or is refused with an error that
 * names what is wrong (a YAML error or {@link IllegalArgumentException}), never another exception.
 * Nothing is created or bound.
 */
class ConfigFileFuzzTest {

  /** Raw bytes, so that the committed seeds are plain YAML files. */
  @FuzzTest
  void parseAndConfigure(byte[] yaml) {
    ConfigFile file;
    try {
      file = ConfigFile.parse(new String(yaml, StandardCharsets.UTF_8));
    } catch (IOException refused) {
      return; // not YAML, or not our keys: Jackson says which
    }
    try {
      new ServeCommand().configure(file);
    } catch (IllegalArgumentException refused) {
      // a value out of range or malformed, named in the message
    }
  }
}
