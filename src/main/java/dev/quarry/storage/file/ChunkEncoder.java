package dev.quarry.storage.file;

import java.util.Arrays;

/**
 * Encodes samples into a Gorilla-style XOR chunk: a 16-bit sample count, the first timestamp as a
 * varint and the first value's 64 bits, the second timestamp as a varint delta, then delta-of-delta
 * timestamps in buckets ({@code 0}, {@code 10}+14 bits, {@code 110}+17, {@code 1110}+20, {@code
 * 1111}+64) and values XORed with the previous one (a {@code 0} bit when equal, else the meaningful
 * bits with a reused or new leading/trailing-zero window, whichever is shorter).
 *
 * <p>Values are kept as raw bits, so every NaN payload (the staleness marker in particular), −0.0
 * and ±Inf come back unchanged. Timestamps must not decrease; the caller enforces that. Not
 * thread-safe.
 */
public class ChunkEncoder extends BitWriter {
  private int count;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading = -1; // -1: no window yet
  private int trailing;
  private long minT;

  public ChunkEncoder() {
    this(32);
  }

  ChunkEncoder(int initialBytes) {
    super(initialBytes);
    writeBits(0, 16); // sample count, patched in bytes()
  }

  public int count() {
    return count;
  }

  public long minTime() {
    return minT;
  }

  public long maxTime() {
    return t;
  }

  /** Bytes used so far. */
  public int size() {
    return byteLength();
  }

  public void append(long ts, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (count == 0) {
      writeVarint(ts);
      writeBits(bits, 64);
      minT = ts;
    } else {
      writeTime(ts);
      writeValue(bits);
    }
    advance(ts, bits);
  }

  /**
   * Writes a later sample's timestamp: the second as a varint delta, others as a delta of deltas.
   */
  private void writeTime(long ts) {
    long delta = ts - t;
    if (count == 1) {
      writeVarint(delta);
    } else {
      writeDod(delta - tDelta);
    }
    tDelta = delta;
  }

  /** Makes {@code ts} and {@code bits} the last sample once it is written. */
  private void advance(long ts, long bits) {
    t = ts;
    vBits = bits;
    count++;
    if (count > 0xFFFF) {
      throw new IllegalStateException("chunk holds at most 65535 samples");
    }
  }

  private void writeDod(long dod) {
    if (dod == 0) {
      writeBit(false);
    } else if (fits(dod, 14)) {
      writeBits(0b10, 2);
      writeBits(dod, 14);
    } else if (fits(dod, 17)) {
      writeBits(0b110, 3);
      writeBits(dod, 17);
    } else if (fits(dod, 20)) {
      writeBits(0b1110, 4);
      writeBits(dod, 20);
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
    }
  }

  /** True when {@code v} fits an n-bit two's complement field. */
  static boolean fits(long v, int n) {
    long half = 1L << (n - 1);
    return v >= -half && v < half;
  }

  private void writeValue(long bits) {
    long xor = bits ^ vBits;
    if (xor == 0) {
      writeBit(false);
      return;
    }
    writeBit(true);
    int lead = lead(xor);
    int trail = Long.numberOfTrailingZeros(xor);
    if (leading >= 0 && reuses(leading, trailing, lead, trail)) {
      writeInWindow(xor);
    } else {
      openWindow(xor, lead, trail);
    }
  }

  /** Bits of a changed value written in the current window: the change bit and a {@code 0}. */
  private static final int IN_WINDOW_BITS = 2;

  /** Bits of a changed value opening a window: the change bit, a {@code 1}, 5 + 6 header bits. */
  private static final int NEW_WINDOW_BITS = 13;

  /** The leading zeros of {@code xor} as a window records them (5 bits hold up to 31). */
  private static int lead(long xor) {
    return Math.min(31, Long.numberOfLeadingZeros(xor));
  }

  /**
   * Whether a change with {@code yl} leading and {@code yt} trailing zeros goes in the window
   * {@code (l, tr)}: the window covers its meaningful bits and costs no more than a new window with
   * its header. A reader decodes either choice.
   */
  private static boolean reuses(int l, int tr, int yl, int yt) {
    return yl >= l && yt >= tr && IN_WINDOW_BITS + 64 - l - tr <= NEW_WINDOW_BITS + 64 - yl - yt;
  }

  /** Writes {@code xor}'s meaningful bits in the current window ({@code 0}, then the bits). */
  private void writeInWindow(long xor) {
    writeBit(false);
    writeBits(xor >>> trailing, 64 - leading - trailing);
  }

  /** Writes {@code 1}, a new window of {@code lead} and {@code trail} zeros, then the bits. */
  private void openWindow(long xor, int lead, int trail) {
    leading = lead;
    trailing = trail;
    int sig = 64 - lead - trail;
    writeBit(true);
    writeBits(lead, 5);
    writeBits(sig & 63, 6); // 64 significant bits are written as 0
    writeBits(xor >>> trail, sig);
  }

  /** Value changes looked at ahead when {@link #appendAll} picks a window. */
  static final int LOOKAHEAD = 4;

  /**
   * Appends samples {@code [from, to)} known in advance, as a block cut has them. Where a value
   * changes, the window for its meaningful bits is chosen by the bits it and the next {@value
   * #LOOKAHEAD} values would cost: the previous window, the change's own, or one wide enough for
   * the next changes too, so that a series whose low bits come and go does not pay for a new window
   * at every sample. The chunk reads like any other. {@code scratch} holds at least {@code to -
   * from} values.
   */
  public void appendAll(long[] ts, double[] vs, int from, int to, long[] scratch) {
    int n = to - from;
    long[] xors = scratch;
    long prev = vBits;
    for (int i = 0; i < n; i++) {
      long b = Double.doubleToRawLongBits(vs[from + i]);
      xors[i] = b ^ prev;
      prev = b;
    }
    for (int i = 0; i < n; i++) {
      if (count < 2) {
        append(ts[from + i], vs[from + i]);
        continue;
      }
      writeTime(ts[from + i]);
      long xor = xors[i];
      if (xor == 0) {
        writeBit(false);
      } else {
        writeBit(true);
        chooseWindow(xor, xors, i + 1, Math.min(n, i + 1 + LOOKAHEAD));
      }
      advance(ts[from + i], vBits ^ xor);
    }
  }

  /** Writes {@code xor} (not 0) with the window that is cheapest over {@code xors[ahead, end)}. */
  private void chooseWindow(long xor, long[] xors, int ahead, int end) {
    int lead = lead(xor);
    int trail = Long.numberOfTrailingZeros(xor);
    boolean keep = leading >= 0 && lead >= leading && trail >= trailing;
    int bestCost =
        keep
            ? IN_WINDOW_BITS
                + 64
                - leading
                - trailing
                + costAhead(leading, trailing, xors, ahead, end)
            : Integer.MAX_VALUE;
    int bestL = -1;
    int bestT = -1;
    int l = lead;
    int tr = trail;
    for (int j = ahead - 1; j < end; j++) {
      if (j >= ahead) {
        long y = xors[j];
        if (y == 0) {
          continue;
        }
        l = Math.min(l, lead(y));
        tr = Math.min(tr, Long.numberOfTrailingZeros(y));
        if (l + tr >= 64) {
          continue;
        }
      }
      int cost = NEW_WINDOW_BITS + 64 - l - tr + costAhead(l, tr, xors, ahead, end);
      if (cost < bestCost) {
        bestCost = cost;
        bestL = l;
        bestT = tr;
      }
    }
    if (bestL < 0) {
      writeInWindow(xor);
    } else {
      openWindow(xor, bestL, bestT);
    }
  }

  /**
   * The value bits of {@code xors[from, end)} after a window {@code (l, tr)}, each change reusing
   * the window when it fits and is no longer than its own new window, else opening that.
   */
  private static int costAhead(int l, int tr, long[] xors, int from, int end) {
    int cost = 0;
    for (int j = from; j < end; j++) {
      long y = xors[j];
      if (y == 0) {
        cost++;
        continue;
      }
      int yl = lead(y);
      int yt = Long.numberOfTrailingZeros(y);
      if (reuses(l, tr, yl, yt)) {
        cost += IN_WINDOW_BITS + 64 - l - tr;
      } else {
        cost += NEW_WINDOW_BITS + 64 - yl - yt;
        l = yl;
        tr = yt;
      }
    }
    return cost;
  }

  /** A copy of the chunk as it is now, readable by {@link ChunkIterator}. */
  public byte[] bytes() {
    byte[] b = Arrays.copyOf(array(), byteLength());
    b[0] = (byte) (count >>> 8);
    b[1] = (byte) count;
    return b;
  }
}
