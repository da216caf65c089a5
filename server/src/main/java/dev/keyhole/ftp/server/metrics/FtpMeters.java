package dev.keyhole.ftp.server.metrics;

/** Every meter the server registers, in one place: name, type, unit, tags and meaning. */
public enum FtpMeters {
  /** Gauge: control sessions open now. */
  SESSIONS_ACTIVE("keyhole.sessions.active", "gauge", "sessions", "", "Control sessions open now"),
  /** Counter: control sessions accepted. */
  SESSIONS_OPENED("keyhole.sessions.opened", "counter", "sessions", "", "Control sessions accepted"),
  /** Counter: connections refused at the greeting, by reason. */
  SESSIONS_REJECTED("keyhole.sessions.rejected", "counter", "sessions", "reason",
      "Connections greeted 421 because of a limit (max-sessions, max-per-ip, banned)"),
  /** Timer: session durations. */
  SESSIONS_DURATION("keyhole.sessions.duration", "timer", "seconds", "", "How long sessions lasted"),
  /** Timer: commands by verb and reply class. */
  COMMANDS("keyhole.commands", "timer", "seconds", "verb, reply",
      "Commands answered, by verb (OTHER for unknown ones) and final reply class (2xx...5xx)"),
  /** Counter: bytes sent on data connections. */
  BYTES_SENT("keyhole.data.sent", "counter", "bytes", "", "Bytes sent on data connections"),
  /** Counter: bytes received on data connections. */
  BYTES_RECEIVED("keyhole.data.received", "counter", "bytes", "", "Bytes received on data connections"),
  /** Timer: transfers by direction and outcome. */
  TRANSFERS("keyhole.transfers", "timer", "seconds", "direction, outcome, host",
      "Transfers (download, upload, listing), whether they completed (success, failure), and the virtual host "
          + "(default when none)"),
  /** Counter: logins by virtual host and outcome. */
  LOGINS("keyhole.logins", "counter", "logins", "host, outcome",
      "Logins by virtual host (default when none) and outcome (success, failure)"),
  /** Counter: bans and account locks started. */
  BANS("keyhole.bans", "counter", "bans", "kind",
      "Bans started: an address after failed logins (address) or an account locked (account)"),
  /** Counter: uploads refused for a quota. */
  QUOTA_REFUSALS("keyhole.quota.refusals", "counter", "uploads", "limit",
      "Uploads refused with 552 because they would pass a user's quota (bytes or files)"),
  /** Counter: bytes moved under a bandwidth limit. */
  THROTTLED("keyhole.data.throttled", "counter", "bytes", "direction",
      "Bytes of transfers that a bandwidth limit paced (download, upload)"),
  /** Counter: SPDT connections relayed to the cluster node that issued their identifier. */
  SPDT_RELAYS("keyhole.spdt.relays", "counter", "connections", "outcome",
      "SPDT connections relayed to the cluster node that issued them: complete, failed (cut short), unreachable "
          + "(the node did not answer 200 DATA)"),
  /** Counter: bytes relayed for other cluster nodes. */
  SPDT_RELAYED_BYTES("keyhole.spdt.relayed", "counter", "bytes", "", "Bytes relayed for other cluster nodes, both ways");

  private final String meterName;
  private final String type;
  private final String unit;
  private final String tags;
  private final String description;

  FtpMeters(String meterName, String type, String unit, String tags, String description) {
    this.meterName = meterName;
    this.type = type;
    this.unit = unit;
    this.tags = tags;
    this.description = description;
  }

  /** The Micrometer name. */
  public String meterName() {
    return meterName;
  }

  /** Gauge, counter or timer. */
  public String type() {
    return type;
  }

  /** What is counted or measured. */
  public String unit() {
    return unit;
  }

  /** The tags, comma-separated; empty for none. */
  public String tags() {
    return tags;
  }

  /** What the meter tells. */
  public String description() {
    return description;
  }
}
