package dev.keyhole.ftp.server.session;

/** The representation type set by TYPE: ASCII converts line ends, IMAGE sends bytes as they are. */
public enum TransferType {
  ASCII("ASCII"),
  IMAGE("BINARY");

  private final String label;

  TransferType(String label) {
    this.label = label;
  }

  /** The word used in replies, as vsftpd and most servers say it. */
  public String label() {
    return label;
  }
}
