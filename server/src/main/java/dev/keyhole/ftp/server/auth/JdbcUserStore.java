package dev.keyhole.ftp.server.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Accounts in a SQL database over JDBC: SQLite ({@code jdbc:sqlite:/var/lib/keyhole/users.db}, the
 * driver the {@code keyhole} command ships), PostgreSQL ({@code jdbc:postgresql://…}) or any
 * database whose driver is on the class path. Its own table (docs/users.md):
 *
 * <pre>
 * CREATE TABLE keyhole_users (
 *   host TEXT NOT NULL,          -- '' for the default host
 *   name TEXT NOT NULL,
 *   password TEXT NOT NULL,      -- a bcrypt hash
 *   home TEXT NOT NULL,          -- the user's root directory
 *   permissions TEXT NOT NULL,   -- read,write,delete,rename,mkdir
 *   download_rate BIGINT, upload_rate BIGINT, quota_bytes BIGINT, quota_files BIGINT,
 *   PRIMARY KEY (host, name))
 * </pre>
 *
 * made by {@link #createTable()} ({@code keyhole users add} makes it when missing). Or an existing
 * table, read through a query of the operator's (as Pure-FTPd's and ProFTPD's SQL modules do):
 * {@code :host} and {@code :name} stand for the host and the user name, and the query returns at
 * least the columns {@code password} and {@code home}, and if it has them {@code permissions},
 * {@code download_rate}, {@code upload_rate}, {@code quota_bytes}, {@code quota_files}; such a store
 * is read-only. One connection per call: lookups are rare (one per login) and a pool belongs to the
 * application; put a {@link CachingUserStore} in front for busy servers.
 */
public final class JdbcUserStore implements UserStore {

  static final String TABLE = "keyhole_users";
  private static final String FIND = "SELECT password, home, permissions, download_rate, upload_rate, quota_bytes, "
      + "quota_files FROM " + TABLE + " WHERE host = :host AND name = :name";
  private static final Pattern PARAMETER = Pattern.compile(":(host|name)\\b");

  private final String url;
  private final String query;
  private final List<String> parameters;
  private final boolean ownTable;

  private JdbcUserStore(String url, String query, boolean ownTable) {
    this.url = url;
    this.ownTable = ownTable;
    var names = new ArrayList<String>();
    var m = PARAMETER.matcher(query);
    while (m.find()) {
      names.add(m.group(1));
    }
    if (!names.contains("name")) {
      throw new IllegalArgumentException("the users query must use :name (and may use :host)");
    }
    this.parameters = List.copyOf(names);
    this.query = m.replaceAll("?");
  }

  /** The store of Keyhole's own table in the database at {@code url}. */
  public static JdbcUserStore of(String url) {
    return new JdbcUserStore(url, FIND, true);
  }

  /** A read-only store of an existing table, read with the operator's {@code query} (see above). */
  public static JdbcUserStore withQuery(String url, String query) {
    return new JdbcUserStore(url, query, false);
  }

  /** Makes Keyhole's table if it is missing. */
  public void createTable() throws IOException {
    run(c -> {
      try (var s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE IF NOT EXISTS " + TABLE + " (host VARCHAR(253) NOT NULL, name VARCHAR(255) NOT NULL, "
            + "password VARCHAR(255) NOT NULL, home VARCHAR(4096) NOT NULL, permissions VARCHAR(64) NOT NULL, "
            + "download_rate BIGINT, upload_rate BIGINT, quota_bytes BIGINT, quota_files BIGINT, "
            + "PRIMARY KEY (host, name))");
      }
      return null;
    });
  }

  @Override
  public Optional<UserAccount> find(String host, String name) throws IOException {
    return run(c -> {
      try (var s = c.prepareStatement(query)) {
        for (int i = 0; i < parameters.size(); i++) {
          s.setString(i + 1, parameters.get(i).equals("host") ? host.toLowerCase(Locale.ROOT) : name);
        }
        try (var rows = s.executeQuery()) {
          return rows.next() ? Optional.of(account(name, rows)) : Optional.<UserAccount>empty();
        }
      }
    });
  }

  @Override
  public List<UserAccount> list(String host) throws IOException {
    ownTableOnly();
    return run(c -> {
      try (var s = c.prepareStatement("SELECT name, password, home, permissions, download_rate, upload_rate, "
          + "quota_bytes, quota_files FROM " + TABLE + " WHERE host = ? ORDER BY name")) {
        s.setString(1, host.toLowerCase(Locale.ROOT));
        var out = new ArrayList<UserAccount>();
        try (var rows = s.executeQuery()) {
          while (rows.next()) {
            out.add(account(rows.getString("name"), rows));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void put(String host, UserAccount account) throws IOException {
    ownTableOnly();
    if (!(account.password() instanceof PasswordHash.Bcrypt bcrypt)) {
      throw new IllegalArgumentException("a stored password is a bcrypt hash");
    }
    run(c -> {
      c.setAutoCommit(false);
      try (var delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE host = ? AND name = ?");
          var insert = c.prepareStatement("INSERT INTO " + TABLE + " (host, name, password, home, permissions, "
              + "download_rate, upload_rate, quota_bytes, quota_files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        delete.setString(1, host.toLowerCase(Locale.ROOT));
        delete.setString(2, account.name());
        delete.executeUpdate();
        insert.setString(1, host.toLowerCase(Locale.ROOT));
        insert.setString(2, account.name());
        insert.setString(3, bcrypt.hash());
        insert.setString(4, account.home().toString());
        insert.setString(5, permissions(account.permissions()));
        var limits = account.limits();
        setLong(insert, 6, limits.downloadRate());
        setLong(insert, 7, limits.uploadRate());
        setLong(insert, 8, limits.quotaBytes());
        setLong(insert, 9, limits.quotaFiles());
        insert.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
      return null;
    });
  }

  @Override
  public boolean delete(String host, String name) throws IOException {
    ownTableOnly();
    return run(c -> {
      try (var s = c.prepareStatement("DELETE FROM " + TABLE + " WHERE host = ? AND name = ?")) {
        s.setString(1, host.toLowerCase(Locale.ROOT));
        s.setString(2, name);
        return s.executeUpdate() > 0;
      }
    });
  }

  private void ownTableOnly() {
    if (!ownTable) {
      throw new UnsupportedOperationException("a store read through a custom query is read-only");
    }
  }

  private static UserAccount account(String name, ResultSet rows) throws SQLException {
    var columns = new java.util.HashSet<String>();
    var meta = rows.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
    }
    String permissions = columns.contains("permissions") ? rows.getString("permissions") : null;
    var limits = new UserLimits(optionalLong(rows, columns, "download_rate"), optionalLong(rows, columns, "upload_rate"),
        optionalLong(rows, columns, "quota_bytes"), optionalLong(rows, columns, "quota_files"));
    return new UserAccount(name, PasswordHash.bcrypt(rows.getString("password")), Path.of(rows.getString("home")),
        permissions == null ? EnumSet.allOf(Permission.class) : parsePermissions(permissions), limits);
  }

  private static OptionalLong optionalLong(ResultSet rows, Set<String> columns, String column) throws SQLException {
    if (!columns.contains(column)) {
      return OptionalLong.empty();
    }
    long value = rows.getLong(column);
    return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
  }

  private static void setLong(java.sql.PreparedStatement s, int index, OptionalLong value) throws SQLException {
    if (value.isPresent()) {
      s.setLong(index, value.getAsLong());
    } else {
      s.setNull(index, java.sql.Types.BIGINT);
    }
  }

  /** Permissions as stored: {@code read,write,delete,rename,mkdir}. */
  static String permissions(Set<Permission> permissions) {
    return permissions.stream().sorted().map(p -> p.name().toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.joining(","));
  }

  static Set<Permission> parsePermissions(String text) {
    var out = EnumSet.noneOf(Permission.class);
    for (String p : text.split(",")) {
      if (!p.isBlank()) {
        out.add(Permission.valueOf(p.trim().toUpperCase(Locale.ROOT)));
      }
    }
    return out;
  }

  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T run(Work<T> work) throws IOException {
    try (var connection = DriverManager.getConnection(url)) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
