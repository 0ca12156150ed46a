package dev.quarry.textparse;

import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Spans;
import java.util.Arrays;

/**
 * One {@code io.prometheus.client.Metric} message decoded into reusable scratch space: label pairs
 * as offsets into the body, the value of each metric kind, summary quantiles, classic histogram
 * buckets and the native histogram fields. Strings stay in the body; nothing is allocated once the
 * arrays have grown to the page's largest metric. Used by one parser, on its thread.
 */
final class ProtoMetric {
  // Label pairs: offsets and lengths into the body.
  int labels;
  int[] nameOff = new int[8];
  int[] nameLen = new int[8];
  int[] valueOff = new int[8];
  int[] valueLen = new int[8];

  double gauge;
  double counter;
  double untyped;
  int counterExemplarOff = -1;
  int counterExemplarEnd;
  long timestampMs;
  long createdMs; // created_timestamp of a counter, summary or histogram; 0 when absent

  // Summary and histogram share count and sum; a metric has one of them for its family's type.
  long sampleCount;
  double sampleCountFloat;
  double sampleSum;
  int quantiles;
  double[] quantile = new double[8];
  double[] quantileValue = new double[8];

  int buckets;
  double[] upperBound = new double[16];
  long[] cumulative = new long[16];
  double[] cumulativeFloat = new double[16];
  int[] exemplarOff = new int[16];
  int[] exemplarEnd = new int[16];

  int schema;
  double zeroThreshold;
  long zeroCount;
  double zeroCountFloat;
  final SpanScratch negativeSpans = new SpanScratch();
  final SpanScratch positiveSpans = new SpanScratch();
  final LongScratch negativeDeltas = new LongScratch();
  final LongScratch positiveDeltas = new LongScratch();
  final DoubleScratch negativeCounts = new DoubleScratch();
  final DoubleScratch positiveCounts = new DoubleScratch();

  void clear() {
    labels = 0;
    gauge = counter = untyped = 0;
    counterExemplarOff = -1;
    timestampMs = createdMs = 0;
    sampleCount = 0;
    sampleCountFloat = sampleSum = 0;
    quantiles = 0;
    buckets = 0;
    schema = 0;
    zeroThreshold = 0;
    zeroCount = 0;
    zeroCountFloat = 0;
    negativeSpans.n = positiveSpans.n = 0;
    negativeDeltas.n = positiveDeltas.n = 0;
    negativeCounts.n = positiveCounts.n = 0;
  }

  /**
   * Whether the histogram is a native one, as Prometheus decides: it has spans, a zero threshold or
   * observations in its zero bucket (an instrumentation library marks an empty native histogram
   * with a span of length 0).
   */
  boolean isNative() {
    return positiveSpans.n > 0
        || negativeSpans.n > 0
        || zeroThreshold > 0
        || zeroCount != 0
        || zeroCountFloat > 0;
  }

  /** Whether the native histogram has float counts ({@code sample_count_float} or zero count). */
  boolean isFloatHistogram() {
    return sampleCountFloat > 0 || zeroCountFloat > 0;
  }

  /**
   * The value of a sample of this metric in a family of wire type {@code type}: for summaries and
   * histograms, {@code fieldPos} -2 is the count, -1 the sum, else a quantile or bucket (past the
   * last bucket: the +Inf bucket, the count). Float counts win over integer ones when not zero, as
   * in Prometheus.
   */
  double value(int type, int fieldPos) {
    switch (type) {
      case 0:
        return counter;
      case 1:
        return gauge;
      case 3:
        return untyped;
      case 2:
        return fieldPos == -2
            ? unsigned(sampleCount)
            : fieldPos == -1 ? sampleSum : quantileValue[fieldPos];
      default:
        if (fieldPos == -1) {
          return sampleSum;
        }
        if (fieldPos == -2 || fieldPos >= buckets) {
          return sampleCountFloat != 0 ? sampleCountFloat : unsigned(sampleCount);
        }
        double f = cumulativeFloat[fieldPos];
        return f != 0 ? f : unsigned(cumulative[fieldPos]);
    }
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  /** Fills {@code fh} when the native histogram has float counts, else {@code h}. */
  void fill(Histogram h, FloatHistogram fh, CounterResetHint hint) {
    if (isFloatHistogram()) {
      fh.reset().hint(hint).set(schema, zeroThreshold, zeroCountFloat, sampleCountFloat, sampleSum);
      positiveSpans.copyTo(fh.positiveSpans());
      negativeSpans.copyTo(fh.negativeSpans());
      for (int i = 0; i < positiveCounts.n; i++) {
        fh.addPositiveCount(positiveCounts.v[i]);
      }
      for (int i = 0; i < negativeCounts.n; i++) {
        fh.addNegativeCount(negativeCounts.v[i]);
      }
      return;
    }
    h.reset().hint(hint).set(schema, zeroThreshold, zeroCount, sampleCount, sampleSum);
    positiveSpans.copyTo(h.positiveSpans());
    negativeSpans.copyTo(h.negativeSpans());
    for (int i = 0; i < positiveDeltas.n; i++) {
      h.addPositiveDelta(positiveDeltas.v[i]);
    }
    for (int i = 0; i < negativeDeltas.n; i++) {
      h.addNegativeDelta(negativeDeltas.v[i]);
    }
  }

  /** Decodes the Metric message at {@code w}'s position up to {@code end}. */
  void decode(ProtoWire w, int end) throws ParseException {
    clear();
    int saved = w.limit;
    w.limit = end;
    while (w.more()) {
      int tag = w.tag();
      switch (tag >>> 3) {
        case 1 -> label(w, tag);
        case 2 -> gauge = singleDouble(w, tag, "gauge");
        case 3 -> counter(w, tag);
        case 4 -> summary(w, tag);
        case 5 -> untyped = singleDouble(w, tag, "untyped");
        case 6 -> {
          w.expect(tag, ProtoWire.VARINT, "timestamp_ms");
          timestampMs = w.varint();
        }
        case 7 -> histogram(w, tag);
        default -> w.skip(tag);
      }
    }
    w.limit = saved;
  }

  private void label(ProtoWire w, int tag) throws ParseException {
    w.expect(tag, ProtoWire.LEN, "label");
    int end = w.lengthEnd();
    int saved = w.limit;
    w.limit = end;
    if (labels == nameOff.length) {
      int n = labels * 2;
      nameOff = Arrays.copyOf(nameOff, n);
      nameLen = Arrays.copyOf(nameLen, n);
      valueOff = Arrays.copyOf(valueOff, n);
      valueLen = Arrays.copyOf(valueLen, n);
    }
    nameOff[labels] = valueOff[labels] = w.pos;
    nameLen[labels] = valueLen[labels] = 0;
    while (w.more()) {
      int t = w.tag();
      int f = t >>> 3;
      if ((f == 1 || f == 2) && (t & 7) == ProtoWire.LEN) {
        int e = w.lengthEnd();
        if (f == 1) {
          nameOff[labels] = w.pos;
          nameLen[labels] = e - w.pos;
        } else {
          valueOff[labels] = w.pos;
          valueLen[labels] = e - w.pos;
        }
        w.pos = e;
      } else {
        w.skip(t);
      }
    }
    labels++;
    w.limit = saved;
  }

  /** A Gauge or Untyped message: its field 1, the value. */
  private static double singleDouble(ProtoWire w, int tag, String field) throws ParseException {
    w.expect(tag, ProtoWire.LEN, field);
    int end = w.lengthEnd();
    int saved = w.limit;
    w.limit = end;
    double v = 0;
    while (w.more()) {
      int t = w.tag();
      if (t == (1 << 3 | ProtoWire.FIXED64)) {
        v = w.fixed64Double();
      } else {
        w.skip(t);
      }
    }
    w.limit = saved;
    return v;
  }

  private void counter(ProtoWire w, int tag) throws ParseException {
    w.expect(tag, ProtoWire.LEN, "counter");
    int end = w.lengthEnd();
    int saved = w.limit;
    w.limit = end;
    while (w.more()) {
      int t = w.tag();
      if (t == (1 << 3 | ProtoWire.FIXED64)) {
        counter = w.fixed64Double();
      } else if (t == (2 << 3 | ProtoWire.LEN)) {
        int e = w.lengthEnd();
        counterExemplarOff = w.pos;
        counterExemplarEnd = e;
        w.pos = e;
      } else if (t == (3 << 3 | ProtoWire.LEN)) {
        createdMs = w.timestampMillis();
      } else {
        w.skip(t); // unknown fields
      }
    }
    w.limit = saved;
  }

  private void summary(ProtoWire w, int tag) throws ParseException {
    w.expect(tag, ProtoWire.LEN, "summary");
    int end = w.lengthEnd();
    int saved = w.limit;
    w.limit = end;
    while (w.more()) {
      int t = w.tag();
      switch (t) {
        case 1 << 3 | ProtoWire.VARINT -> sampleCount = w.varint();
        case 2 << 3 | ProtoWire.FIXED64 -> sampleSum = w.fixed64Double();
        case 3 << 3 | ProtoWire.LEN -> quantile(w);
        case 4 << 3 | ProtoWire.LEN -> createdMs = w.timestampMillis();
        default -> w.skip(t);
      }
    }
    w.limit = saved;
  }

  private void quantile(ProtoWire w) throws ParseException {
    int end = w.lengthEnd();
    int saved = w.limit;
    w.limit = end;
    if (quantiles == quantile.length) {
      quantile = Arrays.copyOf(quantile, quantiles * 2);
      quantileValue = Arrays.copyOf(quantileValue, quantiles * 2);
    }
    quantile[quantiles] = quantileValue[quantiles] = 0;
    while (w.more()) {
      int t = w.tag();
      switch (t) {
        case 1 << 3 | ProtoWire.FIXED64 -> quantile[quantiles] = w.fixed64Double();
        case 2 << 3 | ProtoWire.FIXED64 -> quantileValue[quantiles] = w.fixed64Double();
        default -> w.skip(t);
      }
    }
    quantiles++;
    w.limit = saved;
  }

  private void histogram(ProtoWire w, int tag) throws ParseException {
    w.expect(tag, ProtoWire.LEN, "histogram");
    int end = w.lengthEnd();
    int saved = w.limit;
    w.limit = end;
    while (w.more()) {
      int t = w.tag();
      switch (t) {
        case 1 << 3 | ProtoWire.VARINT -> sampleCount = w.varint();
        case 4 << 3 | ProtoWire.FIXED64 -> sampleCountFloat = w.fixed64Double();
        case 2 << 3 | ProtoWire.FIXED64 -> sampleSum = w.fixed64Double();
        case 3 << 3 | ProtoWire.LEN -> bucket(w);
        case 5 << 3 | ProtoWire.VARINT -> schema = (int) ProtoWire.zigzag(w.varint());
        case 6 << 3 | ProtoWire.FIXED64 -> zeroThreshold = w.fixed64Double();
        case 7 << 3 | ProtoWire.VARINT -> zeroCount = w.varint();
        case 8 << 3 | ProtoWire.FIXED64 -> zeroCountFloat = w.fixed64Double();
        case 9 << 3 | ProtoWire.LEN -> negativeSpans.read(w);
        case 12 << 3 | ProtoWire.LEN -> positiveSpans.read(w);
        case 10 << 3 | ProtoWire.LEN, 10 << 3 | ProtoWire.VARINT -> negativeDeltas.read(w, t);
        case 13 << 3 | ProtoWire.LEN, 13 << 3 | ProtoWire.VARINT -> positiveDeltas.read(w, t);
        case 11 << 3 | ProtoWire.LEN, 11 << 3 | ProtoWire.FIXED64 -> negativeCounts.read(w, t);
        case 14 << 3 | ProtoWire.LEN, 14 << 3 | ProtoWire.FIXED64 -> positiveCounts.read(w, t);
        case 15 << 3 | ProtoWire.LEN -> createdMs = w.timestampMillis();
        default -> w.skip(t); // native exemplars, unknown fields
      }
    }
    w.limit = saved;
  }

  private void bucket(ProtoWire w) throws ParseException {
    int end = w.lengthEnd();
    int saved = w.limit;
    w.limit = end;
    if (buckets == upperBound.length) {
      int n = buckets * 2;
      upperBound = Arrays.copyOf(upperBound, n);
      cumulative = Arrays.copyOf(cumulative, n);
      cumulativeFloat = Arrays.copyOf(cumulativeFloat, n);
      exemplarOff = Arrays.copyOf(exemplarOff, n);
      exemplarEnd = Arrays.copyOf(exemplarEnd, n);
    }
    int i = buckets;
    upperBound[i] = 0;
    cumulative[i] = 0;
    cumulativeFloat[i] = 0;
    exemplarOff[i] = -1;
    while (w.more()) {
      int t = w.tag();
      switch (t) {
        case 1 << 3 | ProtoWire.VARINT -> cumulative[i] = w.varint();
        case 4 << 3 | ProtoWire.FIXED64 -> cumulativeFloat[i] = w.fixed64Double();
        case 2 << 3 | ProtoWire.FIXED64 -> upperBound[i] = w.fixed64Double();
        case 3 << 3 | ProtoWire.LEN -> {
          int e = w.lengthEnd();
          exemplarOff[i] = w.pos;
          exemplarEnd[i] = e;
          w.pos = e;
        }
        default -> w.skip(t);
      }
    }
    buckets++;
    w.limit = saved;
  }

  /** BucketSpan messages: offset (sint32), length (uint32). */
  static final class SpanScratch {
    int n;
    int[] offset = new int[4];
    int[] length = new int[4];

    void copyTo(Spans to) {
      for (int i = 0; i < n; i++) {
        to.add(offset[i], length[i]);
      }
    }

    void read(ProtoWire w) throws ParseException {
      int end = w.lengthEnd();
      int saved = w.limit;
      w.limit = end;
      if (n == offset.length) {
        offset = Arrays.copyOf(offset, n * 2);
        length = Arrays.copyOf(length, n * 2);
      }
      offset[n] = 0;
      length[n] = 0;
      while (w.more()) {
        int t = w.tag();
        switch (t) {
          case 1 << 3 | ProtoWire.VARINT -> offset[n] = (int) ProtoWire.zigzag(w.varint());
          case 2 << 3 | ProtoWire.VARINT -> length[n] = (int) w.varint();
          default -> w.skip(t);
        }
      }
      n++;
      w.limit = saved;
    }
  }

  /** A repeated sint64 field, packed or not. */
  static final class LongScratch {
    int n;
    long[] v = new long[16];

    void read(ProtoWire w, int tag) throws ParseException {
      if ((tag & 7) == ProtoWire.VARINT) {
        add(ProtoWire.zigzag(w.varint()));
        return;
      }
      int end = w.lengthEnd();
      int saved = w.limit;
      w.limit = end;
      while (w.more()) {
        add(ProtoWire.zigzag(w.varint()));
      }
      w.limit = saved;
    }

    private void add(long x) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = x;
    }
  }

  /** A repeated double field, packed or not. */
  static final class DoubleScratch {
    int n;
    double[] v = new double[16];

    void read(ProtoWire w, int tag) throws ParseException {
      if ((tag & 7) == ProtoWire.FIXED64) {
        add(w.fixed64Double());
        return;
      }
      int end = w.lengthEnd();
      int saved = w.limit;
      w.limit = end;
      while (w.more()) {
        add(w.fixed64Double());
      }
      w.limit = saved;
    }

    private void add(double x) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = x;
    }
  }
}
