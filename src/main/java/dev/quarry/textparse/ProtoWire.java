package dev.quarry.textparse;

/**
 * A cursor over protobuf wire data in a byte array: varints, fixed-width numbers, length-delimited
 * fields and skipping of unknown fields. Every error is a {@link ParseException} naming the byte
 * offset from the start of the body. Used by one parser, on its thread.
 */
final class ProtoWire {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private byte[] b;
  private int base;
  int pos;
  int limit;
  private int tagPos;

  /** Starts on {@code b[off, end)}; offsets in errors count from {@code base}. */
  void reset(byte[] b, int base, int off, int end) {
    this.b = b;
    this.base = base;
    this.pos = off;
    this.limit = end;
  }

  boolean more() {
    return pos < limit;
  }

  ParseException error(String reason, int at) {
    return ParseException.atByte("protobuf: " + reason, at - base);
  }

  long varint() throws ParseException {
    int start = pos;
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw error("truncated varint", start);
      }
      byte x = b[pos++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw error("varint longer than 10 bytes", start);
  }

  /** A tag: field number shifted left by 3, or'ed with the wire type. */
  int tag() throws ParseException {
    int at = pos;
    tagPos = at;
    long t = varint();
    if (t >>> 3 == 0 || t >>> 3 > 0x1fffffff) {
      throw error("invalid field number " + (t >>> 3), at);
    }
    return (int) t;
  }

  double fixed64Double() throws ParseException {
    return Double.longBitsToDouble(fixed64());
  }

  long fixed64() throws ParseException {
    if (limit - pos < 8) {
      throw error("truncated 64-bit field", pos);
    }
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the end of the field's bytes, checked against the limit. */
  int lengthEnd() throws ParseException {
    int at = pos;
    long n = varint();
    if (n < 0 || n > limit - pos) {
      throw error("length " + n + " exceeds the " + (limit - pos) + " bytes left", at);
    }
    return pos + (int) n;
  }

  static long zigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** Skips the value of a field of wire type {@code wt}. */
  void skip(int tag) throws ParseException {
    int at = pos;
    switch (tag & 7) {
      case VARINT -> varint();
      case FIXED64 -> {
        if (limit - pos < 8) {
          throw error("truncated 64-bit field", at);
        }
        pos += 8;
      }
      case LEN -> pos = lengthEnd();
      case FIXED32 -> {
        if (limit - pos < 4) {
          throw error("truncated 32-bit field", at);
        }
        pos += 4;
      }
      default -> throw error("unsupported wire type " + (tag & 7), at);
    }
  }

  /** Checks the wire type of field {@code tag}, the last one read, is {@code want}. */
  void expect(int tag, int want, String field) throws ParseException {
    if ((tag & 7) != want) {
      throw error("field " + field + " has wire type " + (tag & 7) + ", want " + want, tagPos);
    }
  }

  /**
   * Reads a length-delimited google.protobuf.Timestamp (seconds field 1, nanos field 2) at the
   * position, as milliseconds since the epoch: seconds * 1000 + nanos / 10^6, as Prometheus.
   */
  long timestampMillis() throws ParseException {
    int end = lengthEnd();
    int saved = limit;
    limit = end;
    long seconds = 0;
    long nanos = 0;
    while (more()) {
      int t = tag();
      switch (t) {
        case 1 << 3 | VARINT -> seconds = varint();
        case 2 << 3 | VARINT -> nanos = (int) varint();
        default -> skip(t);
      }
    }
    limit = saved;
    return seconds * 1000 + nanos / 1_000_000;
  }
}
