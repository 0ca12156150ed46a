package dev.quarry.storage.file;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteSink} wrote from a byte range. Every read checks the bounds and throws
 * {@link CorruptDataException} with the offset at fault, so a damaged record is reported, never
 * misread. Not thread-safe.
 */
final class ByteSource {
  private final byte[] buf;
  private final int end;
  private int pos;

  ByteSource(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  int position() {
    return pos;
  }

  void position(int p) {
    pos = p;
  }

  boolean hasRemaining() {
    return pos < end;
  }

  private void need(int n) {
    if (end - pos < n) {
      throw new CorruptDataException("unexpected end of data at byte " + pos);
    }
  }

  int get() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  long getUvarint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = get();
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    throw new CorruptDataException("varint longer than 10 bytes at byte " + pos);
  }

  long getVarint() {
    long u = getUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** An unsigned varint that must fit a non-negative int (a count or a length). */
  int getCount() {
    long v = getUvarint();
    if (v > end - pos + 1_000_000L || v > Integer.MAX_VALUE) {
      throw new CorruptDataException("implausible count " + v + " at byte " + pos);
    }
    return (int) v;
  }

  int getInt() {
    need(4);
    int v =
        ((buf[pos] & 0xFF) << 24)
            | ((buf[pos + 1] & 0xFF) << 16)
            | ((buf[pos + 2] & 0xFF) << 8)
            | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  long getLong() {
    return ((long) getInt() << 32) | (getInt() & 0xFFFFFFFFL);
  }

  double getDouble() {
    return Double.longBitsToDouble(getLong());
  }

  String getString() {
    int n = getCount();
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }
}
