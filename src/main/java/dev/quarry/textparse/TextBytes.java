package dev.quarry.textparse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte-level helpers shared by the parsers: escapes, UTF-8 checks and Go-style quoting. */
final class TextBytes {
  private TextBytes() {}

  private static final int METRIC_START = 1;
  private static final int METRIC_CHAR = 2;
  private static final int LABEL_START = 4;
  private static final int LABEL_CHAR = 8;
  private static final int VALUE_PLAIN = 16;

  /** The classes above of each byte value, so a name byte costs one load instead of compares. */
  private static final byte[] CLASSES = new byte[256];

  static {
    for (int c = 0; c < 128; c++) {
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      int k = 0;
      if (letter || c == ':') {
        k |= METRIC_START | METRIC_CHAR;
      }
      if (digit) {
        k |= METRIC_CHAR | LABEL_CHAR;
      }
      if (letter) {
        k |= LABEL_START | LABEL_CHAR;
      }
      if (c != '\n' && c != '"' && c != '\\') {
        k |= VALUE_PLAIN;
      }
      CLASSES[c] = (byte) k;
    }
  }

  /** [a-zA-Z_:], for a byte of the body (negative bytes are none of these). */
  static boolean isMetricNameStart(int c) {
    return (CLASSES[c & 0xff] & METRIC_START) != 0;
  }

  /** [a-zA-Z0-9_:]. */
  static boolean isMetricNameChar(int c) {
    return (CLASSES[c & 0xff] & METRIC_CHAR) != 0;
  }

  /** [a-zA-Z_]. */
  static boolean isLabelNameStart(int c) {
    return (CLASSES[c & 0xff] & LABEL_START) != 0;
  }

  /** An ASCII byte other than newline, quote and backslash: nothing to do in a label value. */
  static boolean isPlainValueByte(int c) {
    return (CLASSES[c & 0xff] & VALUE_PLAIN) != 0;
  }

  /** [a-zA-Z0-9_]. */
  static boolean isLabelNameChar(int c) {
    return (CLASSES[c & 0xff] & LABEL_CHAR) != 0;
  }

  /**
   * Unescapes a label value (or an OpenMetrics help text): {@code \\}, {@code \"} and {@code \n}.
   * Any other backslash sequence is kept as written, as Prometheus does.
   */
  static String unescape(byte[] b, int s, int e, boolean quoteEscape) {
    byte[] out = new byte[e - s];
    int n = 0;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (c == '\\' && i + 1 < e) {
        byte d = b[i + 1];
        if (d == '\\' || (quoteEscape && d == '"')) {
          out[n++] = d;
          i++;
          continue;
        }
        if (d == 'n') {
          out[n++] = '\n';
          i++;
          continue;
        }
      }
      out[n++] = c;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  static boolean hasByte(byte[] b, int s, int e, byte x) {
    return indexOf(b, s, e, x) < e;
  }

  /**
   * The index of the first {@code x} in {@code b[s, e)}, or {@code e}. Eight bytes at a time: a
   * byte of {@code w ^ pattern} is zero exactly where {@code w} holds {@code x}.
   */
  static int indexOf(byte[] b, int s, int e, byte x) {
    int i = s;
    long pattern = (x & 0xffL) * ONES;
    for (; i + 8 <= e; i += 8) {
      long w = (long) LONGS.get(b, i) ^ pattern;
      long found = (w - ONES) & ~w & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < e; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return e;
  }

  /**
   * The index of the first {@code x} or byte of 0x80 or more in {@code b[s, e)}, or {@code e}: as
   * {@link #indexOf}, with the high bits of {@code w} as matches too (a false match of the zero
   * test only comes after a true one, so the lowest match is exact).
   */
  static int indexOfOrHigh(byte[] b, int s, int e, byte x) {
    int i = s;
    long pattern = (x & 0xffL) * ONES;
    for (; i + 8 <= e; i += 8) {
      long raw = (long) LONGS.get(b, i);
      long w = raw ^ pattern;
      long found = ((w - ONES) & ~w | raw) & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < e; i++) {
      if (b[i] == x || b[i] < 0) {
        return i;
      }
    }
    return e;
  }

  /** True when {@code b[s, e)} is well-formed UTF-8 (no overlong form, no surrogate). */
  static boolean validUtf8(byte[] b, int s, int e) {
    int i = s;
    // ASCII runs eight bytes at a time.
    while (i + 8 <= e && ((long) LONGS.get(b, i) & HIGHS) == 0) {
      i += 8;
    }
    while (i < e) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
        c &= 0x1f;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
        c &= 0x0f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
        c &= 0x07;
      } else {
        return false;
      }
      if (i + n >= e) {
        return false;
      }
      for (int k = 1; k <= n; k++) {
        int d = b[i + k] & 0xff;
        if ((d & 0xc0) != 0x80) {
          return false;
        }
        c = (c << 6) | (d & 0x3f);
      }
      if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }

  /** Number of code points in well-formed UTF-8 {@code b[s, e)}. */
  static int codePoints(byte[] b, int s, int e) {
    int n = 0;
    for (int i = s; i < e; i++) {
      if ((b[i] & 0xc0) != 0x80) {
        n++;
      }
    }
    return n;
  }
}
