package dev.keyhole.ftp.server.session;

import dev.keyhole.ftp.server.api.VirtualHost;
import dev.keyhole.ftp.server.data.MlstFacts;
import dev.keyhole.ftp.server.data.Transfer;
import dev.keyhole.ftp.server.fs.VirtualPath;
import dev.keyhole.ftp.transport.DataChannelSetup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSession;
import reactor.netty.Connection;

/**
 * The state of one control session. It is read and changed only while a command of this session
 * runs, and commands of one session run one after another ({@code ControlLoop}); the exceptions,
 * ABOR and STAT during a transfer, touch only {@link #transfer()}, which is volatile.
 */
public final class FtpSession {

  private final long id;
  private final Connection control;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private final long startNanos = System.nanoTime();

  private LoginState login = new LoginState.Anonymous();
  private VirtualPath cwd = VirtualPath.ROOT;
  private TransferType type = TransferType.ASCII;
  private long restartOffset;
  private Optional<VirtualPath> renameFrom = Optional.empty();
  private Optional<DataChannelSetup> dataChannel = Optional.empty();
  private Optional<VirtualHost> host = Optional.empty();
  private boolean epsvAll;
  private int failedLogins;
  private Set<String> mlstFacts = MlstFacts.ALL;
  private volatile Optional<Transfer> transfer = Optional.empty();
  private volatile Optional<DataChannelSetup> opening = Optional.empty();
  private volatile boolean abortRequested;
  private boolean controlTls;
  private Optional<SSLSession> tlsSession = Optional.empty();
  private Optional<SslContext> tlsContext = Optional.empty();
  private boolean dataProtected;
  private Optional<Runnable> afterReply = Optional.empty();

  public FtpSession(long id, Connection control, InetSocketAddress remote, InetSocketAddress local) {
    this.id = id;
    this.control = control;
    this.remote = remote;
    this.local = local;
  }

  public long id() {
    return id;
  }

  public Connection control() {
    return control;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  public InetSocketAddress local() {
    return local;
  }

  public long startNanos() {
    return startNanos;
  }

  public LoginState login() {
    return login;
  }

  public void login(LoginState state) {
    this.login = state;
  }

  /** The logged-in state; only for commands that the command table lets run after login. */
  public LoginState.LoggedIn loggedIn() {
    if (login instanceof LoginState.LoggedIn in) {
      return in;
    }
    throw new IllegalStateException("not logged in");
  }

  public boolean isLoggedIn() {
    return login instanceof LoginState.LoggedIn;
  }

  public VirtualPath cwd() {
    return cwd;
  }

  public void cwd(VirtualPath cwd) {
    this.cwd = cwd;
  }

  public TransferType type() {
    return type;
  }

  public void type(TransferType type) {
    this.type = type;
  }

  /** Takes the REST offset for the transfer that uses it; it applies to one transfer only. */
  public long takeRestartOffset() {
    long offset = restartOffset;
    restartOffset = 0;
    return offset;
  }

  public void restartOffset(long offset) {
    this.restartOffset = offset;
  }

  /** The path RNFR named, without taking it (for interceptors: RNTO takes it). */
  public Optional<VirtualPath> renameFrom() {
    return renameFrom;
  }

  public Optional<VirtualPath> takeRenameFrom() {
    var from = renameFrom;
    renameFrom = Optional.empty();
    return from;
  }

  public void renameFrom(VirtualPath from) {
    this.renameFrom = Optional.of(from);
  }

  /** Replaces the prepared data channel, closing the one it replaces. */
  public void dataChannel(DataChannelSetup setup) {
    closeDataChannel();
    this.dataChannel = Optional.of(setup);
  }

  /** The virtual host the client chose with HOST, if it did (the default host otherwise). */
  public Optional<VirtualHost> host() {
    return host;
  }

  /**
   * The client chose the default host (HOST with the server's own address), or sent REIN. AUTH
   * keeps the host: RFC 7151 has HOST before AUTH, and the certificate follows the host.
   */
  public void reinitializeHost() {
    this.host = Optional.empty();
  }

  /** The client chose this virtual host (HOST): what it logs in to from now on. */
  public void host(VirtualHost chosen) {
    this.host = Optional.of(chosen);
  }

  /** Whether a data connection is prepared (PASV, EPSV, SPSV, PORT, EPRT) and waits for a transfer. */
  public boolean hasDataChannel() {
    return dataChannel.isPresent();
  }

  /** Takes the prepared data channel for a transfer: each PASV/PORT serves one transfer. */
  public Optional<DataChannelSetup> takeDataChannel() {
    var setup = dataChannel;
    dataChannel = Optional.empty();
    return setup;
  }

  public void closeDataChannel() {
    dataChannel.ifPresent(DataChannelSetup::close);
    dataChannel = Optional.empty();
  }

  public boolean epsvAll() {
    return epsvAll;
  }

  public void epsvAll(boolean on) {
    this.epsvAll = on;
  }

  public int loginFailed() {
    return ++failedLogins;
  }

  public Set<String> mlstFacts() {
    return mlstFacts;
  }

  public void mlstFacts(Set<String> facts) {
    this.mlstFacts = Set.copyOf(facts);
  }

  public Optional<Transfer> transfer() {
    return transfer;
  }

  public void transfer(Optional<Transfer> transfer) {
    this.transfer = transfer;
  }

  /** The data channel a transfer command is waiting on, so that ABOR can close it. */
  public void opening(Optional<DataChannelSetup> setup) {
    this.opening = setup;
  }

  /** Whether a transfer runs or waits for its data connection: what ABOR and STAT may interrupt. */
  public boolean transferInProgress() {
    return transfer.isPresent() || opening.isPresent();
  }

  public boolean abortRequested() {
    return abortRequested;
  }

  /** Called before each command: an ABOR applies to the command it interrupts only. */
  public void clearAbort() {
    abortRequested = false;
  }

  /**
   * ABOR while a command runs: stops the transfer, or the wait for its data connection. Safe to
   * call from the control loop while another command of this session is in progress.
   *
   * @return whether there was a transfer to abort
   */
  public boolean abort() {
    abortRequested = true;
    var running = transfer;
    if (running.isPresent()) {
      running.get().abort();
      return true;
    }
    var waiting = opening;
    if (waiting.isPresent()) {
      waiting.get().close();
      return true;
    }
    return false;
  }

  /** The user name for logs and events, or {@code -} before login. */
  public String userName() {
    return switch (login) {
      case LoginState.LoggedIn in -> in.user().name();
      case LoginState.UserGiven given -> given.name();
      case LoginState.Anonymous a -> "-";
    };
  }

  /** Whether the control connection is under TLS now (AUTH TLS or implicit FTPS, and no CCC since). */
  public boolean controlTls() {
    return controlTls;
  }

  public void controlTls(boolean on) {
    this.controlTls = on;
  }

  /**
   * The control connection's TLS session, once its handshake is done; kept after CCC, because data
   * connections under PROT P go on resuming it.
   */
  public Optional<SSLSession> tlsSession() {
    return tlsSession;
  }

  public void tlsSession(SSLSession session) {
    this.tlsSession = Optional.of(session);
  }

  /** The TLS context of this session's connections, once it has started TLS. */
  public Optional<SslContext> tlsContext() {
    return tlsContext;
  }

  public void tlsContext(SslContext context) {
    this.tlsContext = Optional.of(context);
  }

  /** Whether data connections are protected (PROT P). */
  public boolean dataProtected() {
    return dataProtected;
  }

  public void dataProtected(boolean on) {
    this.dataProtected = on;
  }

  /**
   * Something to do on the control connection right after the reply of the running command has
   * been written: AUTH TLS starts the handshake only after its 234 went out in clear, CCC drops
   * TLS only after its 200 went out encrypted.
   */
  public void afterReply(Runnable action) {
    this.afterReply = Optional.of(action);
  }

  /** Takes the action {@link #afterReply(Runnable)} registered, if any. */
  public Optional<Runnable> takeAfterReply() {
    var action = afterReply;
    afterReply = Optional.empty();
    return action;
  }

  /** Back to the state right after the greeting (REIN). */
  public void reinitialize() {
    login = new LoginState.Anonymous();
    cwd = VirtualPath.ROOT;
    type = TransferType.ASCII;
    restartOffset = 0;
    renameFrom = Optional.empty();
    closeDataChannel();
    epsvAll = false;
    mlstFacts = MlstFacts.ALL;
  }
}
