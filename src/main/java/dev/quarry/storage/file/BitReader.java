package dev.quarry.storage.file;

/**
 * Reads bits, most significant first, from a byte range; reading past the end throws {@link
 * CorruptDataException}. Not thread-safe.
 */
final class BitReader {
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

  long readBits(int n) {
    if (pos + n > limitBits) {
      throw new CorruptDataException("chunk ends early at bit " + pos);
    }
    long v = 0;
    while (n > 0) {
      int avail = 8 - (int) (pos & 7);
      int take = Math.min(avail, n);
      int b = buf[(int) (pos >>> 3)] & 0xFF;
      int chunk = (b >>> (avail - take)) & ((1 << take) - 1);
      v = (v << take) | chunk;
      pos += take;
      n -= take;
    }
    return v;
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
