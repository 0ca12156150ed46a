package dev.quarry.web;

import static dev.quarry.web.WriteRequestDecoder.expect;
import static dev.quarry.web.WriteRequestDecoder.float64;
import static dev.quarry.web.WriteRequestDecoder.int64;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Spans;
import dev.quarry.web.WriteRequestDecoder.DecodeException;
import java.io.IOException;

/**
 * Decodes one native histogram sample, the {@code Histogram} message that remote write 1.0 ({@code
 * prometheus.Histogram}) and 2.0 ({@code io.prometheus.write.v2.Histogram}) share field for field:
 *
 * <pre>
 * Histogram  { oneof count { uint64 count_int = 1; double count_float = 2; } double sum = 3;
 *              sint32 schema = 4; double zero_threshold = 5;
 *              oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
 *              repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9;
 *              repeated double negative_counts = 10; repeated BucketSpan positive_spans = 11;
 *              repeated sint64 positive_deltas = 12; repeated double positive_counts = 13;
 *              ResetHint reset_hint = 14; int64 timestamp = 15;
 *              repeated double custom_values = 16; (2.0 only) }
 * BucketSpan { sint32 offset = 1; uint32 length = 2; }
 * </pre>
 *
 * <p>As in Prometheus, a histogram whose count is {@code count_float} is a float histogram, any
 * other an integer one. The histogram is not validated here (the receiver does it). Stateless.
 */
final class WriteRequestHistogramDecoder {
  private WriteRequestHistogramDecoder() {}

  /** One decoded sample: exactly one of {@code h} and {@code fh} is set. */
  record HistogramSample(long timestamp, Histogram h, FloatHistogram fh, boolean customBuckets) {}

  /** Reads one length-delimited {@code Histogram} field's message. */
  static HistogramSample read(CodedInputStream in, String where)
      throws IOException, DecodeException {
    int old = in.pushLimit(in.readRawVarint32());
    Histogram h = new Histogram();
    FloatHistogram fh = new FloatHistogram();
    boolean isFloat = false;
    long countInt = 0;
    double countFloat = 0;
    long zeroInt = 0;
    double zeroFloat = 0;
    double sum = 0;
    int schema = 0;
    double zeroThreshold = 0;
    int hint = 0;
    long t = 0;
    boolean custom = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int f = WireFormat.getTagFieldNumber(tag);
      switch (f) {
        case 1 -> {
          countInt = varint(in, tag, where + ".count_int");
          isFloat = false;
        }
        case 2 -> {
          countFloat = float64(in, tag, where + ".count_float");
          isFloat = true;
        }
        case 3 -> sum = float64(in, tag, where + ".sum");
        case 4 -> {
          expect(tag, WireFormat.WIRETYPE_VARINT, where + ".schema");
          schema = in.readSInt32();
        }
        case 5 -> zeroThreshold = float64(in, tag, where + ".zero_threshold");
        case 6 -> zeroInt = varint(in, tag, where + ".zero_count_int");
        case 7 -> zeroFloat = float64(in, tag, where + ".zero_count_float");
        case 8 -> span(in, tag, h.negativeSpans(), fh.negativeSpans(), where + ".negative_spans");
        case 9 -> sint64s(in, tag, h, false, where + ".negative_deltas");
        case 10 -> doubles(in, tag, fh, false, where + ".negative_counts");
        case 11 -> span(in, tag, h.positiveSpans(), fh.positiveSpans(), where + ".positive_spans");
        case 12 -> sint64s(in, tag, h, true, where + ".positive_deltas");
        case 13 -> doubles(in, tag, fh, true, where + ".positive_counts");
        case 14 -> hint = (int) varint(in, tag, where + ".reset_hint");
        case 15 -> t = int64(in, tag, where + ".timestamp");
        case 16 -> {
          custom = true;
          in.skipField(tag);
        }
        default -> in.skipField(tag);
      }
    }
    in.popLimit(old);
    CounterResetHint rh =
        switch (hint) {
          case 1 -> CounterResetHint.COUNTER_RESET;
          case 2 -> CounterResetHint.NOT_COUNTER_RESET;
          case 3 -> CounterResetHint.GAUGE;
          default -> CounterResetHint.UNKNOWN;
        };
    if (isFloat) {
      fh.hint(rh).set(schema, zeroThreshold, zeroFloat, countFloat, sum);
      return new HistogramSample(t, null, fh, custom);
    }
    h.hint(rh).set(schema, zeroThreshold, zeroInt, countInt, sum);
    return new HistogramSample(t, h, null, custom);
  }

  private static long varint(CodedInputStream in, int tag, String where)
      throws IOException, DecodeException {
    expect(tag, WireFormat.WIRETYPE_VARINT, where);
    return in.readRawVarint64();
  }

  private static void span(CodedInputStream in, int tag, Spans a, Spans b, String where)
      throws IOException, DecodeException {
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, where);
    int old = in.pushLimit(in.readRawVarint32());
    int offset = 0;
    int length = 0;
    int st;
    while ((st = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(st)) {
        case 1 -> {
          expect(st, WireFormat.WIRETYPE_VARINT, where + ".offset");
          offset = in.readSInt32();
        }
        case 2 -> {
          expect(st, WireFormat.WIRETYPE_VARINT, where + ".length");
          length = in.readRawVarint32();
        }
        default -> in.skipField(st);
      }
    }
    in.popLimit(old);
    a.add(offset, length);
    b.add(offset, length);
  }

  /** A repeated {@code sint64}, packed or one value per tag. */
  private static void sint64s(
      CodedInputStream in, int tag, Histogram h, boolean positive, String where)
      throws IOException, DecodeException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
      delta(h, positive, in.readSInt64());
      return;
    }
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, where);
    int old = in.pushLimit(in.readRawVarint32());
    while (in.getBytesUntilLimit() > 0) {
      delta(h, positive, in.readSInt64());
    }
    in.popLimit(old);
  }

  private static void delta(Histogram h, boolean positive, long d) {
    if (positive) {
      h.addPositiveDelta(d);
    } else {
      h.addNegativeDelta(d);
    }
  }

  /** A repeated {@code double}, packed or one value per tag. */
  private static void doubles(
      CodedInputStream in, int tag, FloatHistogram fh, boolean positive, String where)
      throws IOException, DecodeException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED64) {
      count(fh, positive, Double.longBitsToDouble(in.readRawLittleEndian64()));
      return;
    }
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, where);
    int old = in.pushLimit(in.readRawVarint32());
    while (in.getBytesUntilLimit() > 0) {
      count(fh, positive, Double.longBitsToDouble(in.readRawLittleEndian64()));
    }
    in.popLimit(old);
  }

  private static void count(FloatHistogram fh, boolean positive, double c) {
    if (positive) {
      fh.addPositiveCount(c);
    } else {
      fh.addNegativeCount(c);
    }
  }
}
