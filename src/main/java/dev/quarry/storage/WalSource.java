package dev.quarry.storage;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The write-ahead log as its readers see it: numbered segments of {@link WalRecord}s, a checkpoint
 * that carries the series of truncated segments, cursors that follow the log as it grows, and the
 * floor below which the log may be truncated. Remote write depends on this and on nothing of the
 * store that writes the log. Implementations are thread-safe; a {@link Cursor} belongs to the
 * thread that opened it.
 */
public interface WalSource {
  /** The first segment on disk, or -1 when there is none. */
  int firstSegment() throws IOException;

  /** The segment being written. */
  int currentSegment();

  /**
   * Hands the newest finished checkpoint's records to {@code sink} and returns the last segment it
   * covers, or -1 when there is none.
   */
  int readCheckpoint(Consumer<WalRecord> sink) throws IOException;

  /** A cursor at {@code offset} of {@code segment}; no I/O until its first {@code next()}. */
  Cursor open(int segment, long offset);

  /** Bytes of the log from {@code offset} of {@code segment} to its end: a reader's backlog. */
  long bytesFrom(int segment, long offset) throws IOException;

  /**
   * The lowest segment the readers still need (Integer.MAX_VALUE for none); the log is never
   * truncated at or above it.
   */
  void setFloor(IntSupplier lowestNeeded);

  /** Deletes the segments below {@code segment} (and below the floor). */
  void truncateBefore(int segment);

  /** A record and the position just after it. */
  record Entry(WalRecord record, int segment, long endOffset) {}

  /** Reads records in order from a position, following the log as it is written. */
  interface Cursor extends AutoCloseable {
    /** The next complete record, or null when none is available yet; never waits for the writer. */
    Entry next() throws IOException;

    /** Segment of the position after the last record returned. */
    int segment();

    /** Offset in {@link #segment()} after the last record returned. */
    long offset();

    @Override
    void close() throws IOException;
  }
}
