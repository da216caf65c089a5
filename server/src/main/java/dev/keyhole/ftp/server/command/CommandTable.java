package dev.keyhole.ftp.server.command;

import static dev.keyhole.ftp.server.handler.CommandSpec.Argument.NONE;
import static dev.keyhole.ftp.server.handler.CommandSpec.Argument.OPTIONAL;
import static dev.keyhole.ftp.server.handler.CommandSpec.Argument.REQUIRED;
import static dev.keyhole.ftp.server.handler.CommandSpec.Login.ANY;

import dev.keyhole.ftp.server.auth.Permission;
import dev.keyhole.ftp.server.command.auth.AcctHandler;
import dev.keyhole.ftp.server.command.auth.HostHandler;
import dev.keyhole.ftp.server.command.auth.PassHandler;
import dev.keyhole.ftp.server.command.auth.QuitHandler;
import dev.keyhole.ftp.server.command.auth.ReinHandler;
import dev.keyhole.ftp.server.command.auth.UserHandler;
import dev.keyhole.ftp.server.command.datachannel.EprtHandler;
import dev.keyhole.ftp.server.command.datachannel.EpsvHandler;
import dev.keyhole.ftp.server.command.datachannel.PasvHandler;
import dev.keyhole.ftp.server.command.datachannel.PortHandler;
import dev.keyhole.ftp.server.command.datachannel.SpdtHandler;
import dev.keyhole.ftp.server.command.datachannel.SpsvHandler;
import dev.keyhole.ftp.server.command.files.DeleHandler;
import dev.keyhole.ftp.server.command.files.ListHandler;
import dev.keyhole.ftp.server.command.files.MdtmHandler;
import dev.keyhole.ftp.server.command.files.MfmtHandler;
import dev.keyhole.ftp.server.command.files.MkdHandler;
import dev.keyhole.ftp.server.command.files.MlsdHandler;
import dev.keyhole.ftp.server.command.files.MlstHandler;
import dev.keyhole.ftp.server.command.files.RmdHandler;
import dev.keyhole.ftp.server.command.files.RnfrHandler;
import dev.keyhole.ftp.server.command.files.RntoHandler;
import dev.keyhole.ftp.server.command.files.SizeHandler;
import dev.keyhole.ftp.server.command.info.FeatHandler;
import dev.keyhole.ftp.server.command.info.HelpHandler;
import dev.keyhole.ftp.server.command.info.NoopHandler;
import dev.keyhole.ftp.server.command.info.OptsHandler;
import dev.keyhole.ftp.server.command.info.SiteHandler;
import dev.keyhole.ftp.server.command.info.StatHandler;
import dev.keyhole.ftp.server.command.info.SystHandler;
import dev.keyhole.ftp.server.command.navigation.CdupHandler;
import dev.keyhole.ftp.server.command.navigation.CwdHandler;
import dev.keyhole.ftp.server.command.navigation.PwdHandler;
import dev.keyhole.ftp.server.command.security.AuthHandler;
import dev.keyhole.ftp.server.command.security.CccHandler;
import dev.keyhole.ftp.server.command.security.PbszHandler;
import dev.keyhole.ftp.server.command.security.ProtHandler;
import dev.keyhole.ftp.server.command.transfer.AborHandler;
import dev.keyhole.ftp.server.command.transfer.AlloHandler;
import dev.keyhole.ftp.server.command.transfer.ModeHandler;
import dev.keyhole.ftp.server.command.transfer.RestHandler;
import dev.keyhole.ftp.server.command.transfer.RetrHandler;
import dev.keyhole.ftp.server.command.transfer.StruHandler;
import dev.keyhole.ftp.server.command.transfer.TypeHandler;
import dev.keyhole.ftp.server.command.transfer.UploadHandler;
import dev.keyhole.ftp.server.handler.CommandHandler;
import dev.keyhole.ftp.server.handler.CommandSpec.Argument;
import dev.keyhole.ftp.server.handler.CommandSpec.Login;
import dev.keyhole.ftp.server.handler.CommandSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The declarative command table: every verb the server knows, with what it needs before its
 * handler runs. Checked once by {@link CommandDispatcher}; HELP lists it.
 */
public final class CommandTable {

  private static final Login LOGIN = Login.REQUIRED;

  /** Each spec kept in its Optional, so that the lookup made for every command allocates nothing. */
  private final Map<String, Optional<CommandSpec>> specs;

  private CommandTable(Map<String, Optional<CommandSpec>> specs) {
    this.specs = Collections.unmodifiableMap(specs);
  }

  public Optional<CommandSpec> find(String verb) {
    return specs.getOrDefault(verb, Optional.empty());
  }

  public List<CommandSpec> specs() {
    return specs.values().stream().map(Optional::orElseThrow).toList();
  }

  /** The commands of RFC 959, 2389, 2428, 2640, 3659, 4217, MFMT and draft-rosenau-ftp-single-port-05. */
  public static CommandTable standard() {
    var t = new LinkedHashMap<String, Optional<CommandSpec>>();
    var table = new CommandTable(t);
    // login and session
    add(t, "USER", ANY, REQUIRED, null, new UserHandler(), "<name>");
    add(t, "PASS", ANY, OPTIONAL, null, new PassHandler(), "<password>");
    add(t, "ACCT", ANY, REQUIRED, null, new AcctHandler(), "<account>");
    add(t, "REIN", ANY, NONE, null, new ReinHandler(), "");
    add(t, "HOST", ANY, REQUIRED, null, new HostHandler(), "<host name>");
    add(t, "QUIT", ANY, NONE, null, new QuitHandler(), "");
    // security (RFC 4217)
    add(t, "AUTH", ANY, REQUIRED, null, new AuthHandler(), "TLS");
    add(t, "PBSZ", ANY, REQUIRED, null, new PbszHandler(), "0");
    add(t, "PROT", ANY, REQUIRED, null, new ProtHandler(), "C|P");
    add(t, "CCC", ANY, NONE, null, new CccHandler(), "");
    // navigation
    var cwd = new CwdHandler();
    add(t, "CWD", LOGIN, REQUIRED, null, cwd, "<directory>");
    add(t, "XCWD", LOGIN, REQUIRED, null, cwd, "<directory>");
    var cdup = new CdupHandler();
    add(t, "CDUP", LOGIN, NONE, null, cdup, "");
    add(t, "XCUP", LOGIN, NONE, null, cdup, "");
    var pwd = new PwdHandler();
    add(t, "PWD", LOGIN, NONE, null, pwd, "");
    add(t, "XPWD", LOGIN, NONE, null, pwd, "");
    // data channels
    add(t, "PORT", LOGIN, REQUIRED, null, new PortHandler(), "<h1,h2,h3,h4,p1,p2>");
    add(t, "PASV", LOGIN, NONE, null, new PasvHandler(), "");
    add(t, "EPRT", LOGIN, REQUIRED, null, new EprtHandler(), "|<protocol>|<address>|<port>|");
    add(t, "EPSV", LOGIN, OPTIONAL, null, new EpsvHandler(), "[1|2|ALL]");
    add(t, "SPSV", LOGIN, NONE, null, new SpsvHandler(), "");
    add(t, "SPDT", ANY, REQUIRED, null, new SpdtHandler(), "<identifier>");
    // transfer parameters
    add(t, "TYPE", LOGIN, REQUIRED, null, new TypeHandler(), "A|I");
    add(t, "STRU", LOGIN, REQUIRED, null, new StruHandler(), "F");
    add(t, "MODE", LOGIN, REQUIRED, null, new ModeHandler(), "S");
    add(t, "REST", LOGIN, REQUIRED, null, new RestHandler(), "<offset>");
    add(t, "ALLO", LOGIN, REQUIRED, null, new AlloHandler(), "<size>");
    add(t, "ABOR", LOGIN, NONE, null, new AborHandler(), "");
    // transfers
    add(t, "RETR", LOGIN, REQUIRED, Permission.READ, new RetrHandler(), "<file>");
    add(t, "STOR", LOGIN, REQUIRED, Permission.WRITE, new UploadHandler(UploadHandler.Mode.STORE), "<file>");
    add(t, "APPE", LOGIN, REQUIRED, Permission.WRITE, new UploadHandler(UploadHandler.Mode.APPEND), "<file>");
    add(t, "STOU", LOGIN, OPTIONAL, Permission.WRITE, new UploadHandler(UploadHandler.Mode.UNIQUE), "[<file>]");
    add(t, "LIST", LOGIN, OPTIONAL, null, ListHandler.list(), "[<path>]");
    add(t, "NLST", LOGIN, OPTIONAL, null, ListHandler.nlst(), "[<path>]");
    add(t, "MLSD", LOGIN, OPTIONAL, null, new MlsdHandler(), "[<directory>]");
    // files
    add(t, "MLST", LOGIN, OPTIONAL, null, new MlstHandler(), "[<path>]");
    add(t, "SIZE", LOGIN, REQUIRED, Permission.READ, new SizeHandler(), "<file>");
    add(t, "MDTM", LOGIN, REQUIRED, Permission.READ, new MdtmHandler(), "<file>");
    add(t, "MFMT", LOGIN, REQUIRED, Permission.WRITE, new MfmtHandler(), "<YYYYMMDDHHMMSS> <file>");
    var mkd = new MkdHandler();
    add(t, "MKD", LOGIN, REQUIRED, Permission.MKDIR, mkd, "<directory>");
    add(t, "XMKD", LOGIN, REQUIRED, Permission.MKDIR, mkd, "<directory>");
    var rmd = new RmdHandler();
    add(t, "RMD", LOGIN, REQUIRED, Permission.DELETE, rmd, "<directory>");
    add(t, "XRMD", LOGIN, REQUIRED, Permission.DELETE, rmd, "<directory>");
    add(t, "DELE", LOGIN, REQUIRED, Permission.DELETE, new DeleHandler(), "<file>");
    add(t, "RNFR", LOGIN, REQUIRED, Permission.RENAME, new RnfrHandler(), "<path>");
    add(t, "RNTO", LOGIN, REQUIRED, Permission.RENAME, new RntoHandler(), "<path>");
    // information
    add(t, "SYST", ANY, NONE, null, new SystHandler(), "");
    add(t, "FEAT", ANY, NONE, null, new FeatHandler(), "");
    add(t, "OPTS", ANY, REQUIRED, null, new OptsHandler(), "UTF8 ON | MLST <facts>");
    add(t, "HELP", ANY, OPTIONAL, null, new HelpHandler(table::specs, table::find), "[<command>]");
    add(t, "NOOP", ANY, NONE, null, new NoopHandler(), "");
    add(t, "STAT", ANY, OPTIONAL, null, new StatHandler(), "[<path>]");
    add(t, "SITE", LOGIN, REQUIRED, null, new SiteHandler(), "HELP | CHMOD <mode> <path>");
    return table;
  }

  private static void add(Map<String, Optional<CommandSpec>> t, String verb, Login login, Argument argument,
      @Nullable Permission permission, CommandHandler handler, String syntax) {
    t.put(verb, Optional.of(new CommandSpec(verb, login, argument, Optional.ofNullable(permission), handler, syntax)));
  }
}
