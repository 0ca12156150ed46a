package dev.quarry.storage.file;

import java.util.Arrays;

/** Appends bits, most significant first, to a growable byte array. Not thread-safe. */
final class BitWriter {
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

  /** Writes the low {@code n} bits of {@code value} (0 ≤ n ≤ 64). */
  void writeBits(long value, int n) {
    while (n > 0) {
      int idx = (int) (bits >>> 3);
      if (idx >= buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int free = 8 - (int) (bits & 7);
      int take = Math.min(free, n);
      int chunk = (int) ((value >>> (n - take)) & ((1 << take) - 1));
      buf[idx] |= (byte) (chunk << (free - take));
      bits += take;
      n -= take;
    }
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
