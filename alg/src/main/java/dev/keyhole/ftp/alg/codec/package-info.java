/**
 * The ALG's control-channel codec: lines and replies kept as the bytes that arrived, so that what
 * the ALG does not translate passes through unchanged, with Telnet negotiation refused.
 */
@NullMarked
package dev.keyhole.ftp.alg.codec;

import org.jspecify.annotations.NullMarked;
