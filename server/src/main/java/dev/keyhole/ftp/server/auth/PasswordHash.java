package dev.keyhole.ftp.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** A stored password: a bcrypt hash from the configuration file, or a password given in memory. */
public sealed interface PasswordHash {

  /** The bcrypt cost of new hashes: about 50 ms on one core of the machines we measured. */
  int DEFAULT_COST = 10;

  /** Whether {@code password} is the one this hash was made of. */
  boolean matches(String password);

  /** Parses a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}). */
  static PasswordHash bcrypt(String hash) {
    if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
      throw new IllegalArgumentException("not a bcrypt hash (make one with ./keyhole passwd)");
    }
    return new Bcrypt(hash);
  }

  /** The longest password bcrypt reads: 72 bytes of UTF-8; the rest would be ignored. */
  int MAX_BCRYPT_BYTES = 72;

  /**
   * Hashes a password with bcrypt ({@code $2b$}, BouncyCastle's OpenBSD implementation), for the
   * configuration file; {@link IllegalArgumentException} for a password bcrypt would truncate, or
   * a cost outside 4 to 31.
   */
  static String hash(String password, int cost) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BCRYPT_BYTES) {
      throw new IllegalArgumentException("bcrypt reads at most " + MAX_BCRYPT_BYTES + " bytes of a password");
    }
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("the bcrypt cost is 4 to 31, not " + cost);
    }
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, cost);
  }

  /** A password given on the command line: kept only as its SHA-256 and compared in constant time. */
  static PasswordHash plain(String password) {
    return new Sha256(sha256(password));
  }

  /**
   * A hash of the same kind and cost as this one, of a password nobody has: what an unknown user
   * name is checked against, so that the time a wrong password takes does not tell whether the
   * user exists.
   */
  PasswordHash decoy();

  /** A bcrypt hash. */
  record Bcrypt(String hash) implements PasswordHash {
    /** The cost factor, from {@code $2a$NN$}. */
    public int cost() {
      return Integer.parseInt(hash.substring(4, 6));
    }

    @Override
    public PasswordHash decoy() {
      return new Bcrypt(PasswordHash.hash(java.util.UUID.randomUUID().toString(), cost()));
    }

    @Override
    public boolean matches(String password) {
      // no hash here was made of a longer password: its first 72 bytes must not pass for it
      return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BCRYPT_BYTES
          && OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    }

    @Override
    public String toString() {
      return "Bcrypt[****]";
    }
  }

  /** The SHA-256 of a password given in memory. */
  record Sha256(byte[] digest) implements PasswordHash {
    @Override
    public PasswordHash decoy() {
      return plain(java.util.UUID.randomUUID().toString());
    }

    @Override
    public boolean matches(String password) {
      return MessageDigest.isEqual(digest, sha256(password));
    }

    @Override
    public String toString() {
      return "Sha256[****]";
    }
  }

  private static byte[] sha256(String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
