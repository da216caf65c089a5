package dev.keyhole.ftp.server.auth;

import java.util.OptionalLong;

/**
 * One user's own limits, over the server's ({@code ServerOptions.DOWNLOAD_RATE},
 * {@code UPLOAD_RATE}, {@code USER_QUOTA_BYTES}, {@code USER_QUOTA_FILES}): each empty one is the
 * server's. 0 means no limit, as for the server's options.
 *
 * @param downloadRate bytes a second for this user's downloads, per session
 * @param uploadRate bytes a second for this user's uploads, per session
 * @param quotaBytes bytes this user's root may hold
 * @param quotaFiles files this user's root may hold
 */
public record UserLimits(OptionalLong downloadRate, OptionalLong uploadRate, OptionalLong quotaBytes,
    OptionalLong quotaFiles) {

  /** No limit of the user's own: the server's apply. */
  public static final UserLimits SERVER_DEFAULTS = new UserLimits(OptionalLong.empty(), OptionalLong.empty(),
      OptionalLong.empty(), OptionalLong.empty());

  /** These limits, each one this has not set taken from {@code defaults} (a virtual host's for its users). */
  public UserLimits orElse(UserLimits defaults) {
    return new UserLimits(downloadRate.isPresent() ? downloadRate : defaults.downloadRate,
        uploadRate.isPresent() ? uploadRate : defaults.uploadRate,
        quotaBytes.isPresent() ? quotaBytes : defaults.quotaBytes,
        quotaFiles.isPresent() ? quotaFiles : defaults.quotaFiles);
  }
}
