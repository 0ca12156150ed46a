package dev.quarry.storage.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bits, most significant first, from a byte range; reading past the end throws {@link
 * CorruptDataException}. Not thread-safe.
 */
final class BitReader {
  private static final VarHandle WORD =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] buf;
  private final long limitBits;
  private long pos;

  BitReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = (long) off << 3;
    this.limitBits = (long) (off + len) << 3;
  }

  boolean readBit() {
    if (pos >= limitBits) {
      throw new CorruptDataException("chunk ends early at bit " + pos);
    }
    boolean b = (buf[(int) (pos >>> 3)] & (0x80 >>> (pos & 7))) != 0;
    pos++;
    return b;
  }

  /** The next {@code n} bits ({@code 0 <= n <= 64}) as an unsigned number. */
  long readBits(int n) {
    if (pos + n > limitBits) {
      throw new CorruptDataException("chunk ends early at bit " + pos);
    }
    if (n == 0) {
      return 0;
    }
    int i = (int) (pos >>> 3);
    int skip = (int) (pos & 7);
    pos += n;
    // The 64 bits from byte i on, the bits before pos dropped: enough unless n > 64 - skip.
    long w = word(i) << skip;
    long v = w >>> (64 - n);
    int more = n - (64 - skip);
    if (more > 0) {
      v |= (buf[i + 8] & 0xFF) >>> (8 - more);
    }
    return v;
  }

  /** Eight bytes from {@code i} big-endian, zeros past the end of the array. */
  private long word(int i) {
    if (i + 8 <= buf.length) {
      return (long) WORD.get(buf, i);
    }
    long w = 0;
    for (int k = 0; k < 8; k++) {
      w = (w << 8) | (i + k < buf.length ? buf[i + k] & 0xFF : 0);
    }
    return w;
  }

  long readVarint() {
    long u = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = (int) readBits(8);
      u |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return (u >>> 1) ^ -(u & 1);
      }
    }
    throw new CorruptDataException("varint too long in chunk at bit " + pos);
  }
}
