package dev.quarry.remote;

import dev.quarry.storage.WalSource;
import java.io.IOException;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The maximum backlog of one remote: whether the unsent part of the WAL exceeds it, so that the WAL
 * follower skips ahead (dropping, and counting, what it skips) until it is within half the limit of
 * the WAL's end. Checked by the follower's thread, which alone writes the state; {@link
 * #overflowing} and {@link #droppedBelow} are volatile, read by any thread for the WAL floor.
 */
final class BacklogLimit {
  private static final Logger LOG = Logger.getLogger(RemoteQueue.class);

  private final String displayName;
  private final WalSource wal;
  private final Progress progress;
  private final LongSupplier maxBacklogBytes;
  private volatile boolean overflowing;
  // Samples of segments below this were dropped for the backlog limit: nothing below is needed.
  private volatile int droppedBelow = -1;
  private long lastCheck;

  BacklogLimit(String displayName, WalSource wal, Progress progress, LongSupplier maxBacklogBytes) {
    this.displayName = displayName;
    this.wal = wal;
    this.progress = progress;
    this.maxBacklogBytes = maxBacklogBytes;
  }

  /** Whether samples read now are dropped rather than sent. */
  boolean overflowing() {
    return overflowing;
  }

  /** The segment below which every sample was sent or dropped for the limit (-1: none). */
  int droppedBelow() {
    return droppedBelow;
  }

  /** Notes that samples of {@code segment} were dropped for the limit. */
  void dropping(int segment) {
    droppedBelow = Math.max(droppedBelow, segment);
  }

  /** Checks the backlog of a follower at {@code tailer}, at most once a second. */
  void checkEverySecond(long now, WalSource.Cursor tailer) {
    if (now - lastCheck < 1000) {
      return;
    }
    lastCheck = now;
    try {
      check(tailer);
    } catch (IOException e) {
      LOG.debugf("remote write %s: cannot measure the backlog: %s", displayName, e);
    }
  }

  private void check(WalSource.Cursor tailer) throws IOException {
    long max = maxBacklogBytes.getAsLong();
    if (max <= 0) {
      overflowing = false;
      return;
    }
    long behind = wal.bytesFrom(tailer.segment(), tailer.offset());
    Progress.Position acked = progress.acked();
    long unsent = acked == null ? behind : wal.bytesFrom(acked.segment(), acked.offset());
    boolean over = unsent > max;
    if (over && !overflowing) {
      LOG.warnf(
          "remote write %s: %d bytes of WAL not yet sent exceed the maximum backlog of %d bytes;"
              + " dropping the oldest samples",
          displayName, unsent, max);
    }
    // Keep dropping until the reader is within half the limit of the WAL's end.
    overflowing = over || (overflowing && behind > max / 2);
    if (overflowing) {
      dropping(tailer.segment());
    }
  }
}
