package dev.quarry.storage.file;

import java.time.Duration;

/**
 * Settings of the file store, resolved once. Durations are in milliseconds so that tests can use
 * seconds-long block ranges.
 *
 * @param blockRangeMillis length of one block; the head is cut once it spans 1.5 block ranges
 * @param retentionMillis blocks whose whole range is older than this are deleted
 * @param retentionSizeBytes when positive, oldest blocks are deleted until blocks plus WAL fit
 * @param walSync when the WAL is forced to disk
 * @param walSegmentBytes a WAL segment is closed and a new one started beyond this size
 * @param samplesPerChunk samples per head chunk before a new chunk is started
 * @param agentMode WAL only: no head chunks, no blocks, no reads
 */
public record FileStorageSettings(
    long blockRangeMillis,
    long retentionMillis,
    long retentionSizeBytes,
    WalSync walSync,
    long walSegmentBytes,
    int samplesPerChunk,
    boolean agentMode) {

  /** Prometheus' defaults: 2h blocks, 15d retention, no size limit, 128 MiB segments. */
  public static final FileStorageSettings DEFAULTS =
      new FileStorageSettings(
          Duration.ofHours(2).toMillis(),
          Duration.ofDays(15).toMillis(),
          0,
          WalSync.EVERY_COMMIT,
          128L << 20,
          120,
          false);

  public FileStorageSettings {
    if (blockRangeMillis <= 0) {
      throw new IllegalArgumentException("blockRangeMillis must be positive: " + blockRangeMillis);
    }
    if (retentionMillis <= 0) {
      throw new IllegalArgumentException("retentionMillis must be positive: " + retentionMillis);
    }
    if (walSegmentBytes < 4096) {
      throw new IllegalArgumentException(
          "walSegmentBytes must be at least 4096: " + walSegmentBytes);
    }
    if (samplesPerChunk < 2 || samplesPerChunk > 65535) {
      throw new IllegalArgumentException(
          "samplesPerChunk must be in [2, 65535]: " + samplesPerChunk);
    }
    if (walSync == null) {
      throw new IllegalArgumentException("walSync must be set");
    }
  }

  public FileStorageSettings withBlockRange(Duration d) {
    return new FileStorageSettings(
        d.toMillis(),
        retentionMillis,
        retentionSizeBytes,
        walSync,
        walSegmentBytes,
        samplesPerChunk,
        agentMode);
  }

  public FileStorageSettings withRetention(Duration time, long sizeBytes) {
    return new FileStorageSettings(
        blockRangeMillis,
        time.toMillis(),
        sizeBytes,
        walSync,
        walSegmentBytes,
        samplesPerChunk,
        agentMode);
  }

  public FileStorageSettings withWalSync(WalSync sync) {
    return new FileStorageSettings(
        blockRangeMillis,
        retentionMillis,
        retentionSizeBytes,
        sync,
        walSegmentBytes,
        samplesPerChunk,
        agentMode);
  }

  public FileStorageSettings withWalSegmentBytes(long bytes) {
    return new FileStorageSettings(
        blockRangeMillis,
        retentionMillis,
        retentionSizeBytes,
        walSync,
        bytes,
        samplesPerChunk,
        agentMode);
  }

  public FileStorageSettings withAgentMode(boolean agent) {
    return new FileStorageSettings(
        blockRangeMillis,
        retentionMillis,
        retentionSizeBytes,
        walSync,
        walSegmentBytes,
        samplesPerChunk,
        agent);
  }

  /**
   * The WAL sync policy: {@code every-commit} forces each commit to disk before it returns; {@code
   * intervalMillis > 0} forces at most that often (a commit may then be lost on power loss, never
   * on a process crash).
   */
  public record WalSync(long intervalMillis) {
    public static final WalSync EVERY_COMMIT = new WalSync(0);

    public WalSync {
      if (intervalMillis < 0) {
        throw new IllegalArgumentException("WAL sync interval must be >= 0: " + intervalMillis);
      }
    }

    public boolean everyCommit() {
      return intervalMillis == 0;
    }

    /** Parses {@code every-commit} or a duration such as {@code 100ms}, {@code 1s}. */
    public static WalSync parse(String text) {
      String s = text.trim();
      if (s.equals("every-commit")) {
        return EVERY_COMMIT;
      }
      try {
        if (s.endsWith("ms")) {
          return new WalSync(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
          return new WalSync(1000 * Long.parseLong(s.substring(0, s.length() - 1)));
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new IllegalArgumentException(
          "WAL sync: expected \"every-commit\" or a duration like \"100ms\", got \"" + text + "\"");
    }
  }
}
