package dev.quarry.remote;

import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A WAL of one segment held in memory, for feeding a remote queue records the file store does not
 * write (yet): the offset of a record is its index. Thread-safe: a test adds, the follower reads.
 */
final class ListWalSource implements WalSource {
  private final List<WalRecord> records = new ArrayList<>();

  synchronized void add(WalRecord... rs) {
    records.addAll(List.of(rs));
  }

  private synchronized WalRecord at(long i) {
    return i < records.size() ? records.get((int) i) : null;
  }

  @Override
  public int firstSegment() {
    return 0;
  }

  @Override
  public int currentSegment() {
    return 0;
  }

  @Override
  public int readCheckpoint(Consumer<WalRecord> sink) {
    return -1;
  }

  @Override
  public Cursor open(int segment, long offset) {
    return new Cursor() {
      long next = offset;

      @Override
      public Entry next() {
        WalRecord r = at(next);
        if (r == null) {
          return null;
        }
        next++;
        return new Entry(r, 0, next);
      }

      @Override
      public int segment() {
        return 0;
      }

      @Override
      public long offset() {
        return next;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public long bytesFrom(int segment, long offset) {
    return 0;
  }

  @Override
  public void setFloor(IntSupplier lowestNeeded) {}

  @Override
  public void truncateBefore(int segment) {}
}
