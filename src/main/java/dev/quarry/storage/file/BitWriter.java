package dev.quarry.storage.file;

import java.util.Arrays;

/**
 * Appends bits, most significant first, to a growable byte array. Not thread-safe. A chunk encoder
 * extends it rather than holding one, so an append reaches the bytes with one object fewer on the
 * way.
 */
class BitWriter {
  private byte[] buf;
  private long bits; // number of bits written

  BitWriter(int initialBytes) {
    buf = new byte[Math.max(4, initialBytes)];
  }

  long bitLength() {
    return bits;
  }

  int byteLength() {
    return (int) ((bits + 7) >>> 3);
  }

  byte[] array() {
    return buf;
  }

  void writeBit(boolean one) {
    int idx = (int) (bits >>> 3);
    if (idx >= buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    if (one) {
      buf[idx] |= (byte) (0x80 >>> (bits & 7));
    }
    bits++;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /**
   * Writes the low {@code n} bits of {@code value} (0 ≤ n ≤ 64): one 64-bit OR at the current byte,
   * plus one byte when the bits straddle it. Bits past the position are always zero.
   */
  void writeBits(long value, int n) {
    if (n == 0) {
      return;
    }
    int idx = (int) (bits >>> 3);
    if (idx + 9 > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, idx + 9));
    }
    int off = (int) (bits & 7);
    long v = value << (64 - n); // the n bits, left-aligned
    LONGS.set(buf, idx, (long) LONGS.get(buf, idx) | (v >>> off));
    if (off + n > 64) {
      buf[idx + 8] |= (byte) ((v << (64 - off)) >>> 56);
    }
    bits += n;
  }

  /** Writes a zig-zag varint, byte-wise, at the current bit position. */
  void writeVarint(long v) {
    long u = (v << 1) ^ (v >> 63);
    while ((u & ~0x7FL) != 0) {
      writeBits((u & 0x7F) | 0x80, 8);
      u >>>= 7;
    }
    writeBits(u, 8);
  }
}
