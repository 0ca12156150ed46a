package dev.quarry.textparse;

import java.util.Arrays;

/** A growable byte buffer reused from one entry to the next. Owned by its parser's thread. */
final class ByteScratch {
  byte[] bytes = new byte[256];
  int len;

  void clear() {
    len = 0;
  }

  void put(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, bytes, len, n);
    len += n;
  }

  void put(byte b) {
    ensure(1);
    bytes[len++] = b;
  }

  /** Appends an ASCII string, one byte per char. */
  void putAscii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      bytes[len++] = (byte) s.charAt(i);
    }
  }

  private void ensure(int n) {
    if (len + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + n));
    }
  }
}
