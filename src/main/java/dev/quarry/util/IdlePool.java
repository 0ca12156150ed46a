package dev.quarry.util;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle objects kept for reuse, at most {@code max} of them, the most recently returned handed out
 * first (its memory is the likeliest to be in cache). Thread-safe: an object may be taken on one
 * thread and given back on another.
 */
public final class IdlePool<T> {
  private final ConcurrentLinkedDeque<T> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int max;

  public IdlePool(int max) {
    this.max = max;
  }

  /** An idle object, or null when there is none. */
  public T take() {
    T t = idle.pollFirst();
    if (t != null) {
      count.decrementAndGet();
    }
    return t;
  }

  /** Keeps {@code t} for reuse; false when the pool is full and the caller should drop it. */
  public boolean give(T t) {
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      return false;
    }
    idle.offerFirst(t);
    return true;
  }
}
