package dev.quarry.storage.file;

import dev.quarry.storage.WalRecord;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The records the WAL writer has just written, handed to the WAL's readers in memory, so a reader
 * that keeps up (remote write in the steady state) takes each record as the appender built it
 * instead of reading its frame back from the segment and decoding it. Each record travels with the
 * position of its frame; a reader uses a record only when it starts exactly where the reader is,
 * and reads the segment otherwise (after a backlog overflowed its subscription, after a segment
 * roll, at start-up). The file stays the truth: the feed never holds anything the segment does not.
 *
 * <p>Thread-safe. {@link #publish} runs under the writer's lock, so records arrive in file order;
 * each {@link Subscription} is polled by its reader's thread.
 */
final class WalFeed {
  /** Records a subscription holds at most while its reader is behind; later ones are not kept. */
  static final int MAX_RECORDS = 4096;

  /** Samples a subscription holds at most (about 24 bytes each) while its reader is behind. */
  static final int MAX_SAMPLES = 1 << 18;

  /** A record and its frame's place in the WAL. */
  record Item(WalRecord record, int segment, long start, long end) {}

  /**
   * One commit's records in frame order, and the byte at which each frame ends, counted from the
   * start of the commit's write.
   */
  record Batch(WalRecord[] records, int[] ends, int count) {}

  private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

  /** Whether any reader listens: appenders build the in-memory records only then. */
  boolean hasSubscribers() {
    return !subscriptions.isEmpty();
  }

  Subscription subscribe() {
    Subscription s = new Subscription();
    subscriptions.add(s);
    return s;
  }

  /** Hands a written batch that starts at byte {@code start} of {@code segment} to every reader. */
  void publish(int segment, long start, Batch batch) {
    for (Subscription s : subscriptions) {
      long at = start;
      for (int i = 0; i < batch.count(); i++) {
        long end = start + batch.ends()[i];
        s.offer(new Item(batch.records()[i], segment, at, end));
        at = end;
      }
    }
  }

  /** The records waiting for one reader. Bounded: a reader that falls behind reads the file. */
  final class Subscription implements AutoCloseable {
    private final ArrayDeque<Item> items = new ArrayDeque<>(); // guarded by this
    private int samples; // guarded by this
    // Where the newest record published ends, kept or not (segment -1: none yet); guarded by this.
    private int lastSegment = -1;
    private long lastEnd;

    private synchronized void offer(Item it) {
      lastSegment = it.segment();
      lastEnd = it.end();
      int n = sampleCount(it.record());
      if (items.size() >= MAX_RECORDS || samples + n > MAX_SAMPLES) {
        return; // the reader is behind: it will read this from the segment
      }
      items.add(it);
      samples += n;
    }

    /** The oldest record waiting, or null. */
    synchronized Item peek() {
      return items.peek();
    }

    /**
     * Whether nothing waits and the newest record published ends at {@code offset} of {@code
     * segment}: a reader there has read everything written since it subscribed, and need not look
     * at the file.
     */
    synchronized boolean drainedAt(int segment, long offset) {
      return items.isEmpty() && lastSegment == segment && lastEnd == offset;
    }

    /** Removes the oldest record waiting. */
    synchronized void pop() {
      Item it = items.poll();
      if (it != null) {
        samples -= sampleCount(it.record());
      }
    }

    @Override
    public void close() {
      subscriptions.remove(this);
      synchronized (this) {
        items.clear();
        samples = 0;
      }
    }

    private static int sampleCount(WalRecord r) {
      return r instanceof WalRecord.Samples s ? s.size() : 1;
    }
  }
}
