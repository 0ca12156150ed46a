package dev.quarry.remote;

import com.google.protobuf.CodedOutputStream;
import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Spans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes one native histogram sample as the {@code Histogram} message that remote write 1.0
 * ({@code prometheus.Histogram}, in {@code TimeSeries.histograms = 4}) and 2.0 ({@code
 * io.prometheus.write.v2.Histogram}, in {@code TimeSeries.histograms = 3}) share: an integer one
 * with {@code count_int}, {@code zero_count_int} and the bucket deltas ({@code sint64}, packed), a
 * float one with {@code count_float}, {@code zero_count_float} and the absolute counts; spans,
 * schema, zero threshold, sum, reset hint and timestamp for both. The count oneofs are always
 * written (a zero count stays an integer or a float one); other zero fields are left out, as
 * protobuf does. Stateless.
 */
final class HistogramMessages {
  private HistogramMessages() {}

  /** {@code h} (integer counts) or {@code fh} (float counts) at {@code t}, message bytes only. */
  static byte[] encode(long t, Object histogram) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);
    try {
      if (histogram instanceof Histogram h) {
        out.writeUInt64(1, h.count());
        sum(out, h.sum());
        out.writeSInt32(4, h.schema());
        zeroThreshold(out, h.zeroThreshold());
        out.writeUInt64(6, h.zeroCount());
        spans(out, 8, h.negativeSpans());
        deltas(out, 9, h, false);
        spans(out, 11, h.positiveSpans());
        deltas(out, 12, h, true);
        hint(out, h.hint());
      } else {
        FloatHistogram fh = (FloatHistogram) histogram;
        out.writeDouble(2, fh.count());
        sum(out, fh.sum());
        out.writeSInt32(4, fh.schema());
        zeroThreshold(out, fh.zeroThreshold());
        out.writeDouble(7, fh.zeroCount());
        spans(out, 8, fh.negativeSpans());
        counts(out, 10, fh, false);
        spans(out, 11, fh.positiveSpans());
        counts(out, 13, fh, true);
        hint(out, fh.hint());
      }
      if (t != 0) {
        out.writeInt64(15, t);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void sum(CodedOutputStream out, double sum) throws IOException {
    if (Double.doubleToRawLongBits(sum) != 0) {
      out.writeDouble(3, sum);
    }
  }

  private static void zeroThreshold(CodedOutputStream out, double z) throws IOException {
    if (Double.doubleToRawLongBits(z) != 0) {
      out.writeDouble(5, z);
    }
  }

  private static void hint(CodedOutputStream out, CounterResetHint hint) throws IOException {
    int v =
        switch (hint) {
          case UNKNOWN -> 0;
          case COUNTER_RESET -> 1;
          case NOT_COUNTER_RESET -> 2;
          case GAUGE -> 3;
        };
    if (v != 0) {
      out.writeEnum(14, v);
    }
  }

  private static void spans(CodedOutputStream out, int field, Spans spans) throws IOException {
    for (int i = 0; i < spans.size(); i++) {
      int offset = spans.offset(i);
      int length = (int) spans.length(i);
      int size =
          (offset == 0 ? 0 : CodedOutputStream.computeSInt32Size(1, offset))
              + (length == 0 ? 0 : CodedOutputStream.computeUInt32Size(2, length));
      out.writeTag(field, 2);
      out.writeUInt32NoTag(size);
      if (offset != 0) {
        out.writeSInt32(1, offset);
      }
      if (length != 0) {
        out.writeUInt32(2, length);
      }
    }
  }

  private static void deltas(CodedOutputStream out, int field, Histogram h, boolean positive)
      throws IOException {
    int n = positive ? h.positiveBucketCount() : h.negativeBucketCount();
    if (n == 0) {
      return;
    }
    int size = 0;
    for (int i = 0; i < n; i++) {
      size +=
          CodedOutputStream.computeSInt64SizeNoTag(
              positive ? h.positiveDelta(i) : h.negativeDelta(i));
    }
    out.writeTag(field, 2);
    out.writeUInt32NoTag(size);
    for (int i = 0; i < n; i++) {
      out.writeSInt64NoTag(positive ? h.positiveDelta(i) : h.negativeDelta(i));
    }
  }

  private static void counts(CodedOutputStream out, int field, FloatHistogram fh, boolean positive)
      throws IOException {
    int n = positive ? fh.positiveBucketCount() : fh.negativeBucketCount();
    if (n == 0) {
      return;
    }
    out.writeTag(field, 2);
    out.writeUInt32NoTag(8 * n);
    for (int i = 0; i < n; i++) {
      out.writeDoubleNoTag(positive ? fh.positiveCount(i) : fh.negativeCount(i));
    }
  }

  /**
   * Appends to a 1.0 request one {@code TimeSeries} holding {@code n} histograms of a series from
   * the arrays at {@code from}; its labels are {@code labelParts} ({@code labelsSize} bytes).
   */
  static void addSeriesV1(
      WriteRequestEncoder enc,
      byte[][] labelParts,
      int labelsSize,
      long[] ts,
      Object[] hs,
      int from,
      int n) {
    byte[][] msgs = new byte[n][];
    int size = labelsSize;
    for (int i = 0; i < n; i++) {
      msgs[i] = encode(ts[from + i], hs[from + i]);
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(msgs[i].length) + msgs[i].length;
    }
    byte[] out = new byte[1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeTag(1, 2);
      cos.writeUInt32NoTag(size);
      for (byte[] p : labelParts) {
        cos.writeRawBytes(p);
      }
      for (byte[] m : msgs) {
        cos.writeTag(4, 2);
        cos.writeUInt32NoTag(m.length);
        cos.writeRawBytes(m);
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    enc.appendRaw(out);
  }
}
