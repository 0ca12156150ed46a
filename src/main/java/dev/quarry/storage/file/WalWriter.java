package dev.quarry.storage.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends framed batches to the current WAL segment, starting a new segment when the current one
 * would exceed the configured size.
 *
 * <p>Thread-safe: {@link #write} holds the writer's lock only while the bytes are copied into the
 * file; the fsync of the every-commit policy runs after the lock is released, so concurrent commits
 * overlap their syncs. With an interval policy a daemon thread forces the file that often.
 *
 * <p>A failed write (disk full) is undone by truncating the segment back to its last good length,
 * so a later successful write never follows garbage that replay would stop at.
 */
final class WalWriter implements AutoCloseable {
  private final Path walDir;
  private final long maxSegmentBytes;
  private final FileStorageSettings.WalSync sync;
  private final WalChannels channels;
  private final WriteHealth health;
  private final ScheduledExecutorService syncer;
  private final WalFeed feed = new WalFeed();
  private FileChannel channel; // guarded by this
  private int segment; // guarded by this
  private long size; // guarded by this
  private boolean closed; // guarded by this

  WalWriter(Path walDir, int firstSegment, FileStorageSettings settings) throws IOException {
    this(
        walDir,
        firstSegment,
        settings,
        WalChannels.DEFAULT,
        new WriteHealth(java.time.InstantSource.system()));
  }

  WalWriter(
      Path walDir,
      int firstSegment,
      FileStorageSettings settings,
      WalChannels channels,
      WriteHealth health)
      throws IOException {
    this.walDir = walDir;
    this.maxSegmentBytes = settings.walSegmentBytes();
    this.sync = settings.walSync();
    this.channels = channels;
    this.health = health;
    openSegment(firstSegment);
    if (sync.everyCommit()) {
      syncer = null;
    } else {
      syncer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "quarry-wal-sync");
                t.setDaemon(true);
                return t;
              });
      syncer.scheduleWithFixedDelay(
          this::syncQuietly, sync.intervalMillis(), sync.intervalMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void openSegment(int index) throws IOException {
    Path p = WalSegment.segmentPath(walDir, index);
    channel = channels.open(p);
    segment = index;
    size = channel.size();
  }

  /**
   * Writes one batch of frames and, under the every-commit policy, forces it to disk. The outcome
   * is reported to the store's {@link WriteHealth}.
   *
   * @return the segment the batch went to
   * @throws UncheckedIOException naming the segment and offset when the write fails
   */
  int write(byte[] buf, int len) {
    return write(buf, len, null);
  }

  /**
   * {@link #write(byte[], int)}, handing {@code batch} (the records of the frames written, or null)
   * to the {@link #feed()}'s readers once the bytes are in the file.
   */
  int write(byte[] buf, int len, WalFeed.Batch batch) {
    try {
      int seg = writeAndSync(buf, len, batch);
      health.succeeded();
      return seg;
    } catch (UncheckedIOException e) {
      health.failed(e.getMessage());
      throw e;
    }
  }

  /** The records just written, for readers that keep up with the writer. */
  WalFeed feed() {
    return feed;
  }

  private int writeAndSync(byte[] buf, int len, WalFeed.Batch batch) {
    FileChannel ch;
    int seg;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("WAL " + walDir + " is closed");
      }
      if (size > 0 && size + len > maxSegmentBytes) {
        rollLocked();
      }
      ch = channel;
      seg = segment;
      long before = size;
      try {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
        size += len;
      } catch (IOException e) {
        undoPartialWrite(before);
        throw new UncheckedIOException(
            "WAL write to "
                + WalSegment.segmentPath(walDir, seg)
                + " at byte "
                + before
                + " failed: "
                + e.getMessage(),
            e);
      }
      if (batch != null) {
        feed.publish(seg, before, batch); // under the lock: readers see file order
      }
    }
    if (sync.everyCommit()) {
      try {
        ch.force(false);
      } catch (ClosedChannelException e) {
        // the segment was rolled meanwhile, and rolling forces it before closing
      } catch (IOException e) {
        throw new UncheckedIOException(
            "WAL sync of " + WalSegment.segmentPath(walDir, seg) + " failed: " + e.getMessage(), e);
      }
    }
    return seg;
  }

  private void undoPartialWrite(long goodSize) {
    try {
      channel.truncate(goodSize);
    } catch (IOException ignored) {
      // if even that fails, start a fresh segment so later frames do not follow torn bytes
      try {
        rollLocked();
      } catch (UncheckedIOException e) {
        // nothing more to do; the caller reports the original failure
      }
    }
  }

  /** Closes the current segment and starts the next one; returns the new segment's index. */
  synchronized int roll() {
    rollLocked();
    return segment;
  }

  private void rollLocked() {
    int next = segment + 1;
    try {
      channel.force(false);
      channel.close();
      openSegment(next);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start WAL segment "
              + WalSegment.segmentPath(walDir, next)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  synchronized int currentSegment() {
    return segment;
  }

  private void syncQuietly() {
    FileChannel ch;
    synchronized (this) {
      if (closed) {
        return;
      }
      ch = channel;
    }
    try {
      ch.force(false);
    } catch (IOException e) {
      // a closed channel was forced when it was rolled; other errors show on the next write
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      channel.force(false);
      channel.close();
    }
    if (syncer != null) {
      syncer.shutdownNow();
    }
  }
}
