package dev.keyhole.ftp.alg;

import java.net.InetSocketAddress;

/**
 * One listener of the ALG: where clients connect, the server it relays them to, and how.
 *
 * @param listen the address clients connect to
 * @param upstream the FTP server
 * @param mode the translation
 */
public record AlgListener(InetSocketAddress listen, InetSocketAddress upstream, AlgMode mode) {}
