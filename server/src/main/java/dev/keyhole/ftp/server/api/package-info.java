/**
 * What an application configures and observes: the read-only configuration and the options
 * declared once, events, and interceptors that may veto.
 */
@NullMarked
package dev.keyhole.ftp.server.api;

import org.jspecify.annotations.NullMarked;
