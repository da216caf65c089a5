package dev.keyhole.ftp.protocol;

/** What the command-line decoder produces for each line the peer sends. */
public sealed interface ControlInput permits FtpCommand, OverlongLine {}
