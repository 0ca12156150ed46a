package dev.quarry.textparse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast 64-bit hash of a byte range, eight bytes per step, for looking up raw series bytes in a
 * scrape cache without copying them. Stable across runs and JVMs (no seed); not cryptographic.
 */
public final class SeriesHash {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long P1 = 0x9E3779B97F4A7C15L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;

  private SeriesHash() {}

  /** The hash of {@code b[off, off + len)}. */
  public static long hash(byte[] b, int off, int len) {
    long h = P2 ^ (len * P1);
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long w = (long) LONGS.get(b, i);
      h = Long.rotateLeft(h ^ (w * P1), 29) * P2;
    }
    long tail = 0;
    int rest = end - i;
    if (rest > 0 && len >= 8) { // the last eight bytes, less those hashed already
      tail = (long) LONGS.get(b, end - 8) >>> (64 - 8 * rest);
    } else {
      for (int s = 0; i < end; i++, s += 8) {
        tail |= (b[i] & 0xffL) << s;
      }
    }
    h = Long.rotateLeft(h ^ (tail * P1), 29) * P2;
    h ^= h >>> 32;
    h *= P1;
    return h ^ (h >>> 29);
  }
}
