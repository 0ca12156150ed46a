package dev.quarry.textparse;

import java.util.Arrays;

/**
 * A set of 64-bit hashes with a small value per hash, by open addressing: what the OpenMetrics
 * checks remember of the families and metrics of one body without allocating once it has grown.
 * Clearing costs the entries held, not the capacity, as a table is cleared for every family. Owned
 * by one parser's thread.
 */
final class HashTable {
  private long[] keys = new long[256];
  private byte[] values = new byte[256];
  private int[] used = new int[128]; // the slots taken, in insertion order
  private int size;

  void clear() {
    if (size * 8 > keys.length) {
      Arrays.fill(keys, 0);
      Arrays.fill(values, (byte) 0);
    } else {
      for (int j = 0; j < size; j++) {
        int i = used[j];
        keys[i] = 0;
        values[i] = 0;
      }
    }
    size = 0;
  }

  /** The value of {@code h} (0 to 255), 0 when absent or never set. */
  int value(long h) {
    int i = slot(key(h));
    return keys[i] == 0 ? 0 : values[i] & 0xff;
  }

  /** Sets the value of {@code h} when present. */
  void setValue(long h, int v) {
    int i = slot(key(h));
    if (keys[i] != 0) {
      values[i] = (byte) v;
    }
  }

  /** Adds {@code h} when absent and sets the bits {@code bits} (of the low 8) of its value. */
  void addBits(long h, int bits) {
    int i = slot(key(h));
    if (keys[i] == 0) {
      add(h);
      i = slot(key(h));
    }
    values[i] = (byte) (values[i] | bits);
  }

  /** Adds a hash with value 0; false when it was present. */
  boolean add(long h) {
    long k = key(h);
    int i = slot(k);
    if (keys[i] != 0) {
      return false;
    }
    if (2 * (size + 1) > keys.length) {
      long[] oldKeys = keys;
      byte[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new byte[oldKeys.length * 2];
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
