package dev.keyhole.ftp.alg;

import java.util.Locale;

/** What a listener of the ALG translates. */
public enum AlgMode {
  /** IPv4 clients, IPv6 server (draft-tsou-behave-ftp46-00). */
  NAT46("nat46"),
  /** IPv6 clients, IPv4 server (RFC 6384). */
  NAT64("nat64"),
  /** Clients speak SPSV/SPDT on the ALG's one port; the server is any FTP server (EPSV or PASV). */
  SPSV_GATEWAY("spsv-gateway"),
  /** Clients use PASV, EPSV, PORT or EPRT; the server is a single-port server, reached with SPSV/SPDT. */
  SPSV_ADAPTER("spsv-adapter");

  private final String label;

  AlgMode(String label) {
    this.label = label;
  }

  /** The name on the command line: {@code nat46}, {@code nat64}, {@code spsv-gateway}, {@code spsv-adapter}. */
  public String label() {
    return label;
  }

  /** The mode of a label; {@link IllegalArgumentException} for an unknown one. */
  public static AlgMode parse(String text) {
    for (var mode : values()) {
      if (mode.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown ALG mode '" + text + "' (nat46, nat64, spsv-gateway, spsv-adapter)");
  }
}
