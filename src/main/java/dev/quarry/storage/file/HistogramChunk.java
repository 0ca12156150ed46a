package dev.quarry.storage.file;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Spans;

/**
 * The chunk encoding of native histograms, integer ({@link #INT}) and float ({@link #FLOAT})
 * counts. All samples of a chunk share one layout, written once at its start: zig-zag schema, the
 * zero threshold's 64 bits, then each side's spans ({@code n, (offset, length)*}). A sample whose
 * layout differs, or that resets the counter (a count, zero count or bucket lower than the previous
 * sample's, or the {@code COUNTER_RESET} hint), starts a new chunk, as Prometheus' histogram chunks
 * do. Per sample: the timestamp (first raw, then delta, then delta of delta, as zig-zag varints);
 * integer counts (count, zero count, each bucket's absolute count) as zig-zag varint deltas from
 * the previous sample; float values (the sum always, every count of a float histogram) as the XOR
 * with the previous sample's bits: one byte 0 when equal, else one byte (trailing zeros + 1) and
 * the XOR shifted right by them as a varint. Encoders are owned by their series' monitor.
 */
final class HistogramChunk {
  static final byte INT = 2;
  static final byte FLOAT = 3;

  private HistogramChunk() {}

  /** Fills one chunk; {@link #accepts} says whether a sample may join it. */
  static final class Encoder {
    final byte encoding;
    private final ByteSink out = new ByteSink(64);
    private int count;
    private long minT;
    private long t;
    private long tDelta;
    private int schema;
    private double zeroThreshold;
    private final Spans pos = new Spans();
    private final Spans neg = new Spans();

    /** Previous values: count, zero count, sum, positive buckets, negative buckets (bits/abs). */
    private long[] prev = new long[0];

    Encoder(byte encoding) {
      this.encoding = encoding;
    }

    int count() {
      return count;
    }

    long minTime() {
      return minT;
    }

    long maxTime() {
      return t;
    }

    XorChunk seal() {
      return new XorChunk(out.toByteArray(), minT, t, count, encoding);
    }

    /** Whether {@code h} (or {@code fh}) may be appended: same kind, layout, and no reset. */
    boolean accepts(Histogram h, FloatHistogram fh, int maxSamples) {
      if (count >= maxSamples || (h != null) != (encoding == INT)) {
        return false;
      }
      int sch = h != null ? h.schema() : fh.schema();
      double zt = h != null ? h.zeroThreshold() : fh.zeroThreshold();
      Spans p = h != null ? h.positiveSpans() : fh.positiveSpans();
      Spans n = h != null ? h.negativeSpans() : fh.negativeSpans();
      if (sch != schema || Double.compare(zt, zeroThreshold) != 0 || !p.equals(pos)) {
        return false;
      }
      if (!n.equals(neg)) {
        return false;
      }
      long[] v = values(h, fh);
      if ((h != null ? h.hint() : fh.hint()) == dev.quarry.model.CounterResetHint.COUNTER_RESET) {
        return false;
      }
      for (int i = 0; i < v.length; i++) {
        if (i == 2) {
          continue; // the sum may fall
        }
        boolean lower =
            h != null
                ? v[i] < prev[i]
                : Double.longBitsToDouble(v[i]) < Double.longBitsToDouble(prev[i]);
        if (lower) {
          return false;
        }
      }
      return true;
    }

    /** Appends a sample; the caller checked {@link #accepts} or this is the first. */
    void append(long ts, Histogram h, FloatHistogram fh) {
      long[] v = values(h, fh);
      if (count == 0) {
        schema = h != null ? h.schema() : fh.schema();
        zeroThreshold = h != null ? h.zeroThreshold() : fh.zeroThreshold();
        pos.copyFrom(h != null ? h.positiveSpans() : fh.positiveSpans());
        neg.copyFrom(h != null ? h.negativeSpans() : fh.negativeSpans());
        out.putVarint(schema);
        out.putDouble(zeroThreshold);
        putSpans(out, pos);
        putSpans(out, neg);
        out.putVarint(ts);
        minT = ts;
        prev = new long[v.length];
      } else if (count == 1) {
        tDelta = ts - t;
        out.putVarint(tDelta);
      } else {
        long d = ts - t;
        out.putVarint(d - tDelta);
        tDelta = d;
      }
      t = ts;
      for (int i = 0; i < v.length; i++) {
        if (encoding == INT && i != 2) {
          out.putVarint(v[i] - prev[i]);
        } else {
          putXor(out, v[i] ^ prev[i]);
        }
      }
      prev = v;
      count++;
    }
  }

  private static void putSpans(ByteSink out, Spans s) {
    out.putUvarint(s.size());
    for (int i = 0; i < s.size(); i++) {
      out.putVarint(s.offset(i));
      out.putUvarint(s.length(i));
    }
  }

  private static void putXor(ByteSink out, long x) {
    if (x == 0) {
      out.put(0);
      return;
    }
    int tz = Long.numberOfTrailingZeros(x);
    out.put(tz + 1);
    out.putUvarint(x >>> tz);
  }

  /** count, zero count, sum bits, then bucket values: absolute counts or float bits. */
  private static long[] values(Histogram h, FloatHistogram fh) {
    if (h != null) {
      int np = h.positiveBucketCount();
      int nn = h.negativeBucketCount();
      long[] v = new long[3 + np + nn];
      v[0] = h.count();
      v[1] = h.zeroCount();
      v[2] = Double.doubleToRawLongBits(h.sum());
      long abs = 0;
      for (int i = 0; i < np; i++) {
        abs += h.positiveDelta(i);
        v[3 + i] = abs;
      }
      abs = 0;
      for (int i = 0; i < nn; i++) {
        abs += h.negativeDelta(i);
        v[3 + np + i] = abs;
      }
      return v;
    }
    int np = fh.positiveBucketCount();
    int nn = fh.negativeBucketCount();
    long[] v = new long[3 + np + nn];
    v[0] = Double.doubleToRawLongBits(fh.count());
    v[1] = Double.doubleToRawLongBits(fh.zeroCount());
    v[2] = Double.doubleToRawLongBits(fh.sum());
    for (int i = 0; i < np; i++) {
      v[3 + i] = Double.doubleToRawLongBits(fh.positiveCount(i));
    }
    for (int i = 0; i < nn; i++) {
      v[3 + np + i] = Double.doubleToRawLongBits(fh.negativeCount(i));
    }
    return v;
  }

  /** Decodes a chunk's samples into one reused float histogram holder. Not thread-safe. */
  static final class Iterator {
    private final ByteSource in;
    private final byte encoding;
    private final int total;
    private int read;
    private long t;
    private long tDelta;
    private final int schema;
    private final double zeroThreshold;
    private final Spans pos = new Spans();
    private final Spans neg = new Spans();
    private final long[] prev;
    private final FloatHistogram h = new FloatHistogram();

    Iterator(XorChunk c) {
      in = new ByteSource(c.data(), 0, c.data().length);
      encoding = c.encoding();
      total = c.count();
      schema = (int) in.getVarint();
      zeroThreshold = in.getDouble();
      int np = readSpans(in, pos);
      int nn = readSpans(in, neg);
      prev = new long[3 + np + nn];
    }

    private static int readSpans(ByteSource in, Spans s) {
      int n = in.getCount();
      long buckets = 0;
      for (int i = 0; i < n; i++) {
        int off = (int) in.getVarint();
        long len = in.getUvarint();
        if (len > 1 << 20) {
          throw new CorruptDataException("histogram chunk span of " + len + " buckets");
        }
        s.add(off, (int) len);
        buckets += len;
      }
      if (buckets > 1 << 20) {
        throw new CorruptDataException("histogram chunk with " + buckets + " buckets");
      }
      return (int) buckets;
    }

    boolean next() {
      if (read >= total) {
        return false;
      }
      if (read == 0) {
        t = in.getVarint();
      } else if (read == 1) {
        tDelta = in.getVarint();
        t += tDelta;
      } else {
        tDelta += in.getVarint();
        t += tDelta;
      }
      for (int i = 0; i < prev.length; i++) {
        if (encoding == INT && i != 2) {
          prev[i] += in.getVarint();
        } else {
          int b = in.get();
          if (b != 0) {
            prev[i] ^= in.getUvarint() << (b - 1);
          }
        }
      }
      read++;
      h.reset();
      h.positiveSpans().copyFrom(pos);
      h.negativeSpans().copyFrom(neg);
      int np = 0;
      for (int i = 0; i < pos.size(); i++) {
        np += (int) pos.length(i);
      }
      h.set(schema, zeroThreshold, val(1), val(0), Double.longBitsToDouble(prev[2]));
      for (int i = 3; i < prev.length; i++) {
        if (i < 3 + np) {
          h.addPositiveCount(val(i));
        } else {
          h.addNegativeCount(val(i));
        }
      }
      return true;
    }

    private double val(int i) {
      return encoding == INT ? (double) prev[i] : Double.longBitsToDouble(prev[i]);
    }

    long timestamp() {
      return t;
    }

    FloatHistogram histogram() {
      return h;
    }
  }
}
