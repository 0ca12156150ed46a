package dev.quarry.storage.file;

import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.model.Spans;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalRecord.Exemplars;
import dev.quarry.storage.WalRecord.FloatHistograms;
import dev.quarry.storage.WalRecord.Histograms;
import dev.quarry.storage.WalRecord.MetadataEntries;
import dev.quarry.storage.WalRecord.RefExemplar;
import dev.quarry.storage.WalRecord.RefLabels;
import dev.quarry.storage.WalRecord.RefMetadata;
import dev.quarry.storage.WalRecord.Samples;
import dev.quarry.storage.WalRecord.Series;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload encoding of {@link WalRecord}s (layout in its doc): the first payload byte is the
 * record type; framing and checksums are {@link WalSegment}'s business. Stateless.
 */
final class WalCodec {
  static final byte SERIES = 1;
  static final byte SAMPLES = 2;
  static final byte METADATA = 3;
  static final byte EXEMPLARS = 4;
  static final byte HISTOGRAMS = 5;
  static final byte FLOAT_HISTOGRAMS = 6;
  private static final CounterResetHint[] HINTS = CounterResetHint.values();

  private WalCodec() {}

  static void encodeExemplars(ByteSink out, List<RefExemplar> exemplars) {
    out.put(EXEMPLARS);
    out.putUvarint(exemplars.size());
    for (RefExemplar e : exemplars) {
      out.putUvarint(e.ref());
      out.putVarint(e.timestamp());
      out.putDouble(e.value());
      out.putUvarint(e.labels().size());
      for (int i = 0; i < e.labels().size(); i++) {
        out.putString(e.labels().name(i));
        out.putString(e.labels().value(i));
      }
    }
  }

  static void encodeSeries(ByteSink out, List<RefLabels> series) {
    out.put(SERIES);
    out.putUvarint(series.size());
    for (RefLabels s : series) {
      out.putUvarint(s.ref());
      out.putUvarint(s.labels().size());
      for (int i = 0; i < s.labels().size(); i++) {
        out.putString(s.labels().name(i));
        out.putString(s.labels().value(i));
      }
    }
  }

  static void encodeSamples(ByteSink out, long[] refs, long[] ts, double[] vs, int n) {
    out.put(SAMPLES);
    out.putUvarint(n);
    if (n == 0) {
      return;
    }
    out.putUvarint(refs[0]);
    out.putVarint(ts[0]);
    long prevRef = refs[0];
    long prevT = ts[0];
    for (int i = 0; i < n; i++) {
      out.putVarint(refs[i] - prevRef);
      out.putVarint(ts[i] - prevT);
      out.putDouble(vs[i]);
      prevRef = refs[i];
      prevT = ts[i];
    }
  }

  static void encodeMetadata(ByteSink out, List<RefMetadata> entries) {
    out.put(METADATA);
    out.putUvarint(entries.size());
    for (RefMetadata e : entries) {
      out.putUvarint(e.ref());
      out.putString(e.metadata().type());
      out.putString(e.metadata().unit());
      out.putString(e.metadata().help());
    }
  }

  /**
   * A histograms record: {@code count, baseRef, baseT}, then per sample the ref and timestamp as
   * zig-zag deltas from the previous sample's, then the histogram: hint ordinal, zig-zag schema,
   * zero threshold bits, zero count and count (unsigned varints), sum bits, and per side (positive,
   * negative) its spans {@code n, (zig-zag offset, length)*} and buckets {@code n, zig-zag delta*}.
   */
  static void encodeHistograms(ByteSink out, long[] refs, long[] ts, Histogram[] hs, int n) {
    out.put(HISTOGRAMS);
    encodeRefsAndTimes(
        out,
        refs,
        ts,
        n,
        i -> {
          Histogram h = hs[i];
          header(out, h.hint(), h.schema(), h.zeroThreshold());
          out.putUvarint(h.zeroCount());
          out.putUvarint(h.count());
          out.putDouble(h.sum());
          putSpans(out, h.positiveSpans());
          out.putUvarint(h.positiveBucketCount());
          for (int j = 0; j < h.positiveBucketCount(); j++) {
            out.putVarint(h.positiveDelta(j));
          }
          putSpans(out, h.negativeSpans());
          out.putUvarint(h.negativeBucketCount());
          for (int j = 0; j < h.negativeBucketCount(); j++) {
            out.putVarint(h.negativeDelta(j));
          }
        });
  }

  /** As {@link #encodeHistograms}, zero count, count and bucket counts as raw doubles. */
  static void encodeFloatHistograms(
      ByteSink out, long[] refs, long[] ts, FloatHistogram[] hs, int n) {
    out.put(FLOAT_HISTOGRAMS);
    encodeRefsAndTimes(
        out,
        refs,
        ts,
        n,
        i -> {
          FloatHistogram h = hs[i];
          header(out, h.hint(), h.schema(), h.zeroThreshold());
          out.putDouble(h.zeroCount());
          out.putDouble(h.count());
          out.putDouble(h.sum());
          putSpans(out, h.positiveSpans());
          out.putUvarint(h.positiveBucketCount());
          for (int j = 0; j < h.positiveBucketCount(); j++) {
            out.putDouble(h.positiveCount(j));
          }
          putSpans(out, h.negativeSpans());
          out.putUvarint(h.negativeBucketCount());
          for (int j = 0; j < h.negativeBucketCount(); j++) {
            out.putDouble(h.negativeCount(j));
          }
        });
  }

  private static void encodeRefsAndTimes(
      ByteSink out, long[] refs, long[] ts, int n, java.util.function.IntConsumer body) {
    out.putUvarint(n);
    if (n == 0) {
      return;
    }
    out.putUvarint(refs[0]);
    out.putVarint(ts[0]);
    long prevRef = refs[0];
    long prevT = ts[0];
    for (int i = 0; i < n; i++) {
      out.putVarint(refs[i] - prevRef);
      out.putVarint(ts[i] - prevT);
      body.accept(i);
      prevRef = refs[i];
      prevT = ts[i];
    }
  }

  private static void header(ByteSink out, CounterResetHint hint, int schema, double zt) {
    out.put(hint.ordinal());
    out.putVarint(schema);
    out.putDouble(zt);
  }

  private static void putSpans(ByteSink out, Spans s) {
    out.putUvarint(s.size());
    for (int i = 0; i < s.size(); i++) {
      out.putVarint(s.offset(i));
      out.putUvarint(s.length(i));
    }
  }

  private static void getSpans(ByteSource in, Spans s) {
    int n = in.getCount();
    for (int i = 0; i < n; i++) {
      int off = (int) in.getVarint();
      long len = in.getUvarint();
      if (len > 0xffffffffL) {
        throw new CorruptDataException(
            "histogram span length " + len + " at byte " + in.position());
      }
      s.add(off, (int) len);
    }
  }

  private static CounterResetHint hint(ByteSource in) {
    int h = in.get();
    if (h >= HINTS.length) {
      throw new CorruptDataException(
          "unknown counter reset hint " + h + " at byte " + in.position());
    }
    return HINTS[h];
  }

  private static Histograms decodeHistograms(ByteSource in) {
    int n = in.getCount();
    long[] refs = new long[n];
    long[] ts = new long[n];
    Histogram[] hs = new Histogram[n];
    if (n > 0) {
      long ref = in.getUvarint();
      long t = in.getVarint();
      for (int i = 0; i < n; i++) {
        ref += in.getVarint();
        t += in.getVarint();
        refs[i] = ref;
        ts[i] = t;
        Histogram h = new Histogram();
        CounterResetHint hint = hint(in);
        int schema = (int) in.getVarint();
        double zt = in.getDouble();
        long zc = in.getUvarint();
        long count = in.getUvarint();
        h.set(schema, zt, zc, count, in.getDouble()).hint(hint);
        getSpans(in, h.positiveSpans());
        for (int j = in.getCount(); j > 0; j--) {
          h.addPositiveDelta(in.getVarint());
        }
        getSpans(in, h.negativeSpans());
        for (int j = in.getCount(); j > 0; j--) {
          h.addNegativeDelta(in.getVarint());
        }
        hs[i] = h;
      }
    }
    return new Histograms(refs, ts, hs);
  }

  private static FloatHistograms decodeFloatHistograms(ByteSource in) {
    int n = in.getCount();
    long[] refs = new long[n];
    long[] ts = new long[n];
    FloatHistogram[] hs = new FloatHistogram[n];
    if (n > 0) {
      long ref = in.getUvarint();
      long t = in.getVarint();
      for (int i = 0; i < n; i++) {
        ref += in.getVarint();
        t += in.getVarint();
        refs[i] = ref;
        ts[i] = t;
        FloatHistogram h = new FloatHistogram();
        CounterResetHint hint = hint(in);
        int schema = (int) in.getVarint();
        double zt = in.getDouble();
        double zc = in.getDouble();
        double count = in.getDouble();
        h.set(schema, zt, zc, count, in.getDouble()).hint(hint);
        getSpans(in, h.positiveSpans());
        for (int j = in.getCount(); j > 0; j--) {
          h.addPositiveCount(in.getDouble());
        }
        getSpans(in, h.negativeSpans());
        for (int j = in.getCount(); j > 0; j--) {
          h.addNegativeCount(in.getDouble());
        }
        hs[i] = h;
      }
    }
    return new FloatHistograms(refs, ts, hs);
  }

  /** Decodes one payload; throws {@link CorruptDataException} when it is malformed. */
  static WalRecord decode(byte[] buf, int off, int len) {
    ByteSource in = new ByteSource(buf, off, len);
    int type = in.get();
    WalRecord r =
        switch (type) {
          case SERIES -> decodeSeries(in);
          case SAMPLES -> decodeSamples(in);
          case METADATA -> decodeMetadata(in);
          case EXEMPLARS -> decodeExemplars(in);
          case HISTOGRAMS -> decodeHistograms(in);
          case FLOAT_HISTOGRAMS -> decodeFloatHistograms(in);
          default -> throw new CorruptDataException("unknown WAL record type " + type);
        };
    if (in.hasRemaining()) {
      throw new CorruptDataException("trailing bytes after WAL record at byte " + in.position());
    }
    return r;
  }

  private static Series decodeSeries(ByteSource in) {
    int n = in.getCount();
    List<RefLabels> out = new ArrayList<>(n);
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < n; i++) {
      long ref = in.getUvarint();
      int nl = in.getCount();
      b.reset(Labels.EMPTY);
      for (int j = 0; j < nl; j++) {
        b.set(in.getString(), in.getString());
      }
      out.add(new RefLabels(ref, b.build()));
    }
    return new Series(out);
  }

  private static Samples decodeSamples(ByteSource in) {
    int n = in.getCount();
    long[] refs = new long[n];
    long[] ts = new long[n];
    double[] vs = new double[n];
    if (n > 0) {
      long ref = in.getUvarint();
      long t = in.getVarint();
      for (int i = 0; i < n; i++) {
        ref += in.getVarint();
        t += in.getVarint();
        refs[i] = ref;
        ts[i] = t;
        vs[i] = in.getDouble();
      }
    }
    return new Samples(refs, ts, vs);
  }

  private static Exemplars decodeExemplars(ByteSource in) {
    int n = in.getCount();
    List<RefExemplar> out = new ArrayList<>(n);
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < n; i++) {
      long ref = in.getUvarint();
      long t = in.getVarint();
      double v = in.getDouble();
      int nl = in.getCount();
      b.reset(Labels.EMPTY);
      for (int j = 0; j < nl; j++) {
        b.set(in.getString(), in.getString());
      }
      out.add(new RefExemplar(ref, t, v, b.build()));
    }
    return new Exemplars(out);
  }

  private static MetadataEntries decodeMetadata(ByteSource in) {
    int n = in.getCount();
    List<RefMetadata> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long ref = in.getUvarint();
      String type = in.getString();
      String unit = in.getString();
      String help = in.getString();
      out.add(new RefMetadata(ref, new Metadata(type, help, unit)));
    }
    return new MetadataEntries(out);
  }
}
