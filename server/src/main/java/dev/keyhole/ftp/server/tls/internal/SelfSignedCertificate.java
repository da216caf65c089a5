package dev.keyhole.ftp.server.tls.internal;

import dev.keyhole.ftp.server.tls.TlsCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-signed certificate of a server that was given none: an ECDSA P-256 key and a
 * certificate valid for ten years for localhost, the loopback addresses and the host's name,
 * written once as PEM files (the key readable by its owner only) and read back at later starts.
 */
final class SelfSignedCertificate {

  private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
  static final String CERT_FILE = "cert.pem";
  static final String KEY_FILE = "key.pem";

  private SelfSignedCertificate() {}

  /** The PEM files in {@code directory}, made now if they are not there yet. */
  static TlsCertificate.PemFiles ensure(Path directory) throws IOException {
    var files = new TlsCertificate.PemFiles(directory.resolve(CERT_FILE), directory.resolve(KEY_FILE));
    if (Files.exists(files.certificateChain()) && Files.exists(files.privateKey())) {
      return files;
    }
    Files.createDirectories(directory);
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      writeAtomically(files.privateKey(), pem(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())), true);
      writeAtomically(files.certificateChain(), pem(new PemObject("CERTIFICATE", certificate(keys).getEncoded())), false);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make a self-signed certificate", e);
    }
    log.info("made a self-signed TLS certificate in {}", directory);
    return files;
  }

  private static X509CertificateHolder certificate(KeyPair keys) throws OperatorCreationException, IOException {
    var now = Instant.now();
    var subject = new X500Name("CN=Keyhole FTP server (self-signed)");
    var names = new ArrayList<GeneralName>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    try {
      String host = InetAddress.getLocalHost().getCanonicalHostName();
      if (!host.isBlank() && !host.equals("localhost") && !Character.isDigit(host.charAt(0)) && !host.contains(":")) {
        names.add(new GeneralName(GeneralName.dNSName, host));
      }
    } catch (UnknownHostException e) {
      // the loopback names serve
    }
    var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
        keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
    return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
  }

  private static String pem(PemObject value) {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      writer.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, text, StandardCharsets.US_ASCII);
    if (secret) {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its own defaults apply
      }
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
