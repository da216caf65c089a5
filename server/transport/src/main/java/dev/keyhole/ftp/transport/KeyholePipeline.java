package dev.keyhole.ftp.transport;

/**
 * The names of every handler Keyhole puts in a channel's pipeline, server, client and ALG alike,
 * in one place and in pipeline order, as Reactor Netty's {@code NettyPipeline} names its own. Code
 * that changes a pipeline (SPDT turning a control connection into a data connection, AUTH TLS and
 * CCC adding and removing TLS, the ALG's transparent mode) finds handlers by these names.
 *
 * <p>A control connection: {@link #TLS} (implicit FTPS or after AUTH TLS), {@link #TLS_RECORD_SKIPPER}
 * (after CCC), {@link #COMMAND_DECODER}, {@link #REPLY_ENCODER} (a client's: {@link #TLS}, {@link #REPLY_DECODER}). A data connection: {@link #TLS}
 * (PROT P), {@link #SPDT_HANDSHAKE} (a client's SPDT connection, until {@code 200 DATA}),
 * {@link #DATA_IDLE}, {@link #DATA_INBOUND}, {@link #DATA_METER}. An ALG session: on the client's
 * side {@link #ALG_CLIENT_DECODER} and {@link #ALG_CLIENT_HANDLER} (or {@link #ALG_SPDT_ONLY} on a
 * connection admitted for SPDT only), on the server's side {@link #ALG_UPSTREAM_DECODER} and
 * {@link #ALG_UPSTREAM_HANDLER}.
 */
public final class KeyholePipeline {

  /** Netty's {@code SslHandler}, first in the pipeline. */
  public static final String TLS = "keyhole.tls";
  /** Passes the peer's TLS close_notify after CCC, which the control stream must not see. */
  public static final String TLS_RECORD_SKIPPER = "keyhole.tlsRecordSkipper";
  /** The server's {@code FtpCommandDecoder}. */
  public static final String COMMAND_DECODER = "keyhole.commandDecoder";
  /** The server's {@code FtpReplyEncoder}. */
  public static final String REPLY_ENCODER = "keyhole.replyEncoder";
  /** The client's {@code FtpReplyDecoder}. */
  public static final String REPLY_DECODER = "keyhole.replyDecoder";
  /** The client's side of SPDT on a new data connection: {@link SpdtHandshake}. */
  public static final String SPDT_HANDSHAKE = "keyhole.spdtHandshake";
  /** A data connection's stall detector: {@link DataIdleHandler}. */
  public static final String DATA_IDLE = "keyhole.dataIdle";
  /** A data connection's inbound side: {@link DataInbound}. */
  public static final String DATA_INBOUND = "keyhole.dataInbound";
  /** Counts the bytes that left on a data connection: {@link DataMeter}. */
  public static final String DATA_METER = "keyhole.dataMeter";
  /** The ALG's decoder of the client's command lines: {@code ControlLineDecoder}. */
  public static final String ALG_CLIENT_DECODER = "keyhole.alg.commands";
  /** The ALG's handler of the client's lines. */
  public static final String ALG_CLIENT_HANDLER = "keyhole.alg.client";
  /** The ALG's handler of a connection admitted for SPDT only. */
  public static final String ALG_SPDT_ONLY = "keyhole.alg.spdtOnly";
  /** The ALG's decoder of the server's replies: {@code ReplyBlockDecoder}. */
  public static final String ALG_UPSTREAM_DECODER = "keyhole.alg.replies";
  /** The ALG's handler of the server's replies. */
  public static final String ALG_UPSTREAM_HANDLER = "keyhole.alg.upstream";
  /** Netty's {@code HAProxyMessageDecoder}: the PROXY protocol header a connection starts with. */
  public static final String PROXY_DECODER = "keyhole.proxyDecoder";
  /** What takes the decoded PROXY header and opens the session with its client address. */
  public static final String PROXY_HEADER = "keyhole.proxyHeader";
  /** Netty's {@code HAProxyMessageEncoder}, and what writes the header, on a connection relayed to a cluster peer. */
  public static final String PROXY_ENCODER = "keyhole.proxyEncoder";

  /** The last handler of a listening channel: {@link ListenerErrors}. */
  public static final String LISTENER_ERRORS = "keyhole.listenerErrors";

  private KeyholePipeline() {}
}
