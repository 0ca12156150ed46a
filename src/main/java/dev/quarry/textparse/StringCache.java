package dev.quarry.textparse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small direct-mapped cache from short byte ranges to Strings, so decoding the labels of a series
 * that missed the scrape cache reuses the strings of names and common values ({@code job}, {@code
 * le}, {@code "200"}) instead of allocating them again. Strings it makes are interned, so the label
 * sets of all targets share them. Entries are only replaced, never wrong: a hit compares the bytes.
 * Owned by one parser; not thread-safe.
 */
final class StringCache {
  private static final int SIZE = 2048; // power of two
  private static final int MAX_LEN = 128;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[][] keys = new byte[SIZE][];
  private final String[] values = new String[SIZE];

  /** The String of the ASCII/UTF-8 bytes {@code b[s, e)}. */
  String get(byte[] b, int s, int e, boolean ascii) {
    int len = e - s;
    if (len == 0) {
      return "";
    }
    if (len > MAX_LEN) {
      return make(b, s, e, ascii);
    }
    // Hash from the length and the first and last eight bytes: O(1), and a hit compares all.
    long w;
    if (len >= 8) {
      w = (long) LONGS.get(b, s) * 31 + (long) LONGS.get(b, e - 8);
    } else {
      w = 0;
      for (int i = s; i < e; i++) {
        w = (w << 8) | (b[i] & 0xff);
      }
    }
    w = (w ^ len) * 0x9E3779B97F4A7C15L;
    int h = (int) (w >>> 40);
    int slot = h & (SIZE - 1);
    byte[] k = keys[slot];
    if (k != null && Arrays.equals(k, 0, k.length, b, s, e)) {
      return values[slot];
    }
    // Interned: every target exposing this name or value then shares one String.
    String v = make(b, s, e, ascii).intern();
    keys[slot] = Arrays.copyOfRange(b, s, e);
    values[slot] = v;
    return v;
  }

  static String make(byte[] b, int s, int e, boolean ascii) {
    return new String(b, s, e - s, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }
}
