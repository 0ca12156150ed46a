package dev.quarry.remote;

import dev.quarry.util.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A shard's queue of chunks, bounded by the number of samples it holds ({@code capacity}); a chunk
 * larger than the capacity is taken when the queue is empty. Thread-safe: the WAL follower offers,
 * the shard's thread polls, and stopping clears it from either; all state is guarded by one lock. A
 * poll's deadline is kept on the queue's clock, so a test's clock decides when it is up.
 */
final class ChunkQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private final int capacity;
  private final Clock clock;
  private int samples;

  ChunkQueue(int capacity, Clock clock) {
    this.capacity = Math.max(1, capacity);
    this.clock = clock;
  }

  boolean offer(Chunk c, long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (samples > 0 && samples + c.n > capacity) {
        if (nanos <= 0) {
          return false;
        }
        nanos = notFull.awaitNanos(nanos);
      }
      add(c);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code c} whatever the queue holds (the flush marker). */
  void force(Chunk c) {
    lock.lock();
    try {
      add(c);
    } finally {
      lock.unlock();
    }
  }

  private void add(Chunk c) {
    chunks.add(c);
    samples += c.n;
    notEmpty.signal();
  }

  /** The next chunk, waiting at most {@code nanos} (forever when negative); null on timeout. */
  Chunk poll(long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (chunks.isEmpty()) {
        if (nanos < 0) {
          notEmpty.await();
        } else if (nanos == 0) {
          return null;
        } else {
          nanos = clock.awaitNanos(notEmpty, nanos);
          if (nanos <= 0 && chunks.isEmpty()) {
            return null;
          }
        }
      }
      Chunk c = chunks.poll();
      samples -= c.n;
      notFull.signal();
      return c;
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      chunks.clear();
      samples = 0;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
