package dev.quarry.textparse;

import java.util.Arrays;

/**
 * A set of 64-bit hashes with a small value per hash, by open addressing: what the OpenMetrics
 * checks remember of the families and metrics of one body without allocating once it has grown.
 * Owned by one parser's thread.
 */
final class HashTable {
  private long[] keys = new long[256];
  private byte[] values = new byte[256];
  private int size;

  void clear() {
    if (size > 0) {
      Arrays.fill(keys, 0);
      Arrays.fill(values, (byte) 0);
      size = 0;
    }
  }

  boolean contains(long h) {
    return keys[slot(key(h))] != 0;
  }

  /** The value of {@code h}, 0 when absent or never set. */
  int value(long h) {
    int i = slot(key(h));
    return keys[i] == 0 ? 0 : values[i];
  }

  /** Sets the value of {@code h} when present. */
  void setValue(long h, int v) {
    int i = slot(key(h));
    if (keys[i] != 0) {
      values[i] = (byte) v;
    }
  }

  /** Adds a hash with value 0; false when it was present. */
  boolean add(long h) {
    long k = key(h);
    if (keys[slot(k)] != 0) {
      return false;
    }
    if (2 * (size + 1) > keys.length) {
      long[] oldKeys = keys;
      byte[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new byte[oldKeys.length * 2];
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldKeys[j] != 0) {
          int i = slot(oldKeys[j]);
          keys[i] = oldKeys[j];
          values[i] = oldValues[j];
        }
      }
    }
    keys[slot(k)] = k;
    size++;
    return true;
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
