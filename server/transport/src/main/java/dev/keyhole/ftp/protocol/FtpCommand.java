package dev.keyhole.ftp.protocol;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One command line: the verb, upper-cased, and its argument exactly as sent (empty when absent).
 *
 * @param verb the command verb in upper case, empty for a blank line
 * @param argument everything after the first space, possibly empty
 */
public record FtpCommand(String verb, String argument) implements ControlInput {

  /** Parses a line without its line terminator. */
  public static FtpCommand parse(String line) {
    int space = line.indexOf(' ');
    if (space < 0) {
      return new FtpCommand(line.trim().toUpperCase(Locale.ROOT), "");
    }
    return new FtpCommand(line.substring(0, space).toUpperCase(Locale.ROOT), line.substring(space + 1));
  }

  /**
   * The verbs a decoder names without making a string: the commands of RFC 959, 2228, 2389, 2428,
   * 2640, 3659, 4217, the X-prefixed RFC 775 ones, MFMT/MFCT/MFF, CLNT, HOST and the single-port
   * draft's SPSV and SPDT.
   */
  private static final String[] KNOWN_VERBS = {
    "USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "REIN", "QUIT", "PORT", "PASV", "TYPE", "STRU",
    "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR", "DELE", "RMD",
    "MKD", "PWD", "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP", "FEAT", "OPTS", "EPRT",
    "EPSV", "LANG", "SIZE", "MDTM", "MLST", "MLSD", "AUTH", "ADAT", "PBSZ", "PROT", "CCC", "MIC",
    "CONF", "ENC", "SPSV", "SPDT", "MFMT", "MFCT", "MFF", "XCWD", "XCUP", "XMKD", "XRMD", "XPWD",
    "HOST", "CLNT",
  };

  /** Open addressing on the verb's letters packed in an int: a power of two, under half full. */
  private static final int[] VERB_KEYS = new int[256];
  private static final String[] VERB_NAMES = new String[256];

  static {
    for (String verb : KNOWN_VERBS) {
      byte[] b = verb.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      int key = verbKey(b, 0, b.length);
      int slot = slot(key);
      while (VERB_NAMES[slot] != null) {
        slot = (slot + 1) & (VERB_KEYS.length - 1);
      }
      VERB_KEYS[slot] = key;
      VERB_NAMES[slot] = verb;
    }
  }

  /**
   * The upper-case verb spelled by {@code bytes[from, to)} in any case, if it is one of the known
   * verbs, without allocating; null otherwise.
   */
  public static @Nullable String knownVerb(byte[] bytes, int from, int to) {
    int key = verbKey(bytes, from, to);
    if (key == 0) {
      return null;
    }
    for (int slot = slot(key); VERB_NAMES[slot] != null; slot = (slot + 1) & (VERB_KEYS.length - 1)) {
      if (VERB_KEYS[slot] == key) {
        return VERB_NAMES[slot];
      }
    }
    return null;
  }

  /** Three or four ASCII letters, upper-cased and packed; 0 for anything else. */
  private static int verbKey(byte[] bytes, int from, int to) {
    int length = to - from;
    if (length < 3 || length > 4) {
      return 0;
    }
    int key = 0;
    for (int i = from; i < to; i++) {
      int c = bytes[i] & 0xDF; // upper case for letters; anything else stays outside A-Z
      if (c < 'A' || c > 'Z') {
        return 0;
      }
      key = key << 8 | c;
    }
    return length == 3 ? key << 8 : key;
  }

  private static int slot(int key) {
    int h = key * 0x9E3779B9;
    return (h ^ h >>> 16) & (VERB_KEYS.length - 1);
  }

  /** Whether the command has an argument. */
  public boolean hasArgument() {
    return !argument.isEmpty();
  }

  /** The line as it would be sent, with the password of PASS masked, for logs. */
  public String toLogString() {
    if (verb.equals("PASS")) {
      return "PASS ****";
    }
    return argument.isEmpty() ? verb : verb + " " + argument;
  }

  /** The line as it is sent on the wire, without line terminator. */
  public String toLine() {
    return argument.isEmpty() ? verb : verb + " " + argument;
  }
}
