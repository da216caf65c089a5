package dev.keyhole.ftp.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A stored password: a bcrypt hash from the configuration file, or a password given in memory. */
public sealed interface PasswordHash {

  /** The bcrypt cost of new hashes: about 50 ms on one core of the machines we measured. */
  int DEFAULT_COST = 10;

  boolean matches(String password);

  /** Parses a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}). */
  static PasswordHash bcrypt(String hash) {
    if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
      throw new IllegalArgumentException("not a bcrypt hash (make one with ./keyhole passwd)");
    }
    return new Bcrypt(hash);
  }

  /** Hashes a password with bcrypt, for the configuration file. */
  static String hash(String password, int cost) {
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
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
      return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
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
