package dev.quarry.util;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values shared between many holders, found by a hash and an equality test supplied per lookup.
 * Thread-safe (one lock).
 *
 * <p>Values live in two generations of at most {@code generation} each: new values go into the
 * young one, a value found in the old one moves to the young one, and a full young generation
 * becomes the old one. The holders keep the values they use, so the table only decides what can
 * still be shared, and keeps at most two generations of values nobody uses any more.
 *
 * @param <T> the shared values
 */
public final class InternTable<T> {
  private final int generation;
  private Generation<T> young = new Generation<>();
  private Generation<T> old = new Generation<>();

  public InternTable(int generation) {
    this.generation = generation;
  }

  /**
   * The shared value with hash {@code hash} that {@code matches} accepts; when there is none,
   * {@code create}'s value, which is shared from now on.
   */
  public synchronized T intern(int hash, Predicate<T> matches, Supplier<T> create) {
    T v = young.find(hash, matches);
    if (v != null) {
      return v;
    }
    v = old.find(hash, matches);
    if (v == null) {
      v = create.get();
    }
    if (young.size == generation) {
      old = young;
      young = new Generation<>();
    }
    young.put(v, hash);
    return v;
  }

  /** An open-addressing table of values by hash, at most half full. */
  private static final class Generation<T> {
    Object[] values = new Object[64];
    int[] hashes = new int[64];
    int size;

    @SuppressWarnings("unchecked")
    T find(int h, Predicate<T> matches) {
      int mask = values.length - 1;
      for (int i = h & mask; values[i] != null; i = (i + 1) & mask) {
        if (hashes[i] == h && matches.test((T) values[i])) {
          return (T) values[i];
        }
      }
      return null;
    }

    void put(T v, int h) {
      if (++size * 2 > values.length) {
        Object[] oldValues = values;
        int[] oldHashes = hashes;
        values = new Object[oldValues.length * 2];
        hashes = new int[oldValues.length * 2];
        for (int i = 0; i < oldValues.length; i++) {
          if (oldValues[i] != null) {
            insert(oldValues[i], oldHashes[i]);
          }
        }
      }
      insert(v, h);
    }

    private void insert(Object v, int h) {
      int mask = values.length - 1;
      int i = h & mask;
      while (values[i] != null) {
        i = (i + 1) & mask;
      }
      values[i] = v;
      hashes[i] = h;
    }
  }
}
