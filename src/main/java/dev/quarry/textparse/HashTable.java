package dev.quarry.textparse;

import java.util.Arrays;

/**
 * A set of 64-bit hashes with an int of bits per hash, by open addressing: what the OpenMetrics
 * checks remember of the families and metrics of one body without allocating once it has grown.
 * Clearing costs the entries held, not the capacity, as a table is cleared for every family. Owned
 * by one parser's thread.
 */
final class HashTable {
  private long[] keys = new long[256];
  private int[] values = new int[256];
  private int[] used = new int[128]; // the slots taken, in insertion order
  private int size;

  void clear() {
    if (size * 8 > keys.length) {
      Arrays.fill(keys, 0);
      Arrays.fill(values, 0);
    } else {
      for (int j = 0; j < size; j++) {
        int i = used[j];
        keys[i] = 0;
        values[i] = 0;
      }
    }
    size = 0;
  }

  /** The value of {@code h}, 0 when absent or never set. */
  int value(long h) {
    int i = slot(key(h));
    return keys[i] == 0 ? 0 : values[i];
  }

  /**
   * Adds {@code h} when absent, clears the bits {@code clear} of its value and sets the bits {@code
   * set}, with one probe; returns the value before (0 when absent).
   */
  int update(long h, int clear, int set) {
    long k = key(h);
    int i = slot(k);
    if (keys[i] == 0) {
      i = insert(k, i);
    }
    int old = values[i];
    values[i] = (old & ~clear) | set;
    return old;
  }

  /** Adds a hash with value 0; false when it was present. */
  boolean add(long h) {
    long k = key(h);
    int i = slot(k);
    if (keys[i] != 0) {
      return false;
    }
    insert(k, i);
    return true;
  }

  /** Puts the absent key {@code k} in its free slot {@code i} (or, after growing, another). */
  private int insert(long k, int i) {
    if (2 * (size + 1) > keys.length) {
      long[] oldKeys = keys;
      int[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new int[oldKeys.length * 2];
      used = Arrays.copyOf(used, oldKeys.length);
      for (int j = 0; j < size; j++) {
        int old = used[j];
        int n = slot(oldKeys[old]);
        keys[n] = oldKeys[old];
        values[n] = oldValues[old];
        used[j] = n;
      }
      i = slot(k);
    }
    keys[i] = k;
    used[size++] = i;
    return i;
  }

  private static long key(long h) {
    return h == 0 ? 1 : h;
  }

  private int slot(long k) {
    int mask = keys.length - 1;
    int i = (int) (k ^ (k >>> 32)) & mask;
    while (keys[i] != 0 && keys[i] != k) {
      i = (i + 1) & mask;
    }
    return i;
  }
}
