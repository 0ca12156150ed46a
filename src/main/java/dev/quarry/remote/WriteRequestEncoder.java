package dev.quarry.remote;

import com.google.protobuf.CodedOutputStream;
import dev.quarry.model.Labels;
import dev.quarry.storage.Metadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * Encodes remote write 1.0's {@code prometheus.WriteRequest} with protobuf's {@link
 * CodedOutputStream}:
 *
 * <pre>
 * WriteRequest   { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2;
 *                  repeated Exemplar exemplars = 3; }
 * Label          { string name = 1; string value = 2; }
 * Sample         { double value = 1; int64 timestamp = 2; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4;
 *                  string unit = 5; }
 * </pre>
 *
 * <p>A series' label fields are encoded once ({@link #encodeLabels}) and copied into every request
 * that carries the series. Values are written as their raw 64 bits, so staleness markers survive.
 * Not thread-safe: one encoder per sending shard, reused from batch to batch.
 */
final class WriteRequestEncoder {
  // Field keys (field number << 3 | wire type) written by hand on the per-sample path.
  private static final byte TIMESERIES_TAG = 1 << 3 | 2;
  private static final byte SAMPLES_TAG = 2 << 3 | 2;
  private static final byte EXEMPLARS_TAG = 3 << 3 | 2;
  private static final byte VALUE_TAG = 1 << 3 | 1;
  private static final byte TIMESTAMP_TAG = 2 << 3;
  private static final byte EXEMPLAR_VALUE_TAG = 2 << 3 | 1;
  private static final byte EXEMPLAR_TIMESTAMP_TAG = 3 << 3;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf = new byte[64 * 1024];
  private int len;

  /** Label fields (tag 1, one {@code Label} message each) of a series, in the labels' order. */
  static byte[] encodeLabels(Labels labels) {
    int size = 0;
    for (int i = 0; i < labels.size(); i++) {
      size += labelFieldSize(labels.name(i), labels.value(i));
    }
    byte[] out = new byte[size];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (int i = 0; i < labels.size(); i++) {
        writeLabel(cos, labels.name(i), labels.value(i));
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * One encoded {@code Label} field ({@code TimeSeries.labels}, field 1) for {@code name=value}.
   */
  static byte[] encodeLabel(String name, String value) {
    byte[] out = new byte[labelFieldSize(name, value)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      writeLabel(cos, name, value);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void writeLabel(CodedOutputStream cos, String name, String value)
      throws IOException {
    cos.writeTag(1, 2);
    cos.writeUInt32NoTag(labelSize(name, value));
    cos.writeString(1, name);
    cos.writeString(2, value);
  }

  /** The bytes of one {@code Label} field: tag, length, message. */
  private static int labelFieldSize(String name, String value) {
    int inner = labelSize(name, value);
    return CodedOutputStream.computeTagSize(1)
        + CodedOutputStream.computeUInt32SizeNoTag(inner)
        + inner;
  }

  private static int labelSize(String name, String value) {
    return CodedOutputStream.computeStringSize(1, name)
        + CodedOutputStream.computeStringSize(2, value);
  }

  /** Starts a new request. */
  void reset() {
    len = 0;
  }

  /**
   * Appends one {@code TimeSeries} with {@code n} samples taken from the arrays at {@code from}.
   */
  void addSeries(byte[] labelFields, long[] ts, double[] vs, int from, int n) {
    addSeries(
        new byte[][] {labelFields}, labelFields.length, ts, vs, from, n, null, null, null, 0, 0);
  }

  /** The name and value of one field made by {@link #encodeLabel}. */
  static String[] decodeLabel(byte[] field) {
    String[] all = decodeLabels(field);
    return new String[] {all[0], all[1]};
  }

  /**
   * The names and values, in order, of the {@code Label} fields in {@code fields} (one or more).
   */
  static String[] decodeLabels(byte[] fields) {
    java.util.List<String> out = new java.util.ArrayList<>(2);
    try {
      com.google.protobuf.CodedInputStream in =
          com.google.protobuf.CodedInputStream.newInstance(fields);
      while (in.readTag() != 0) {
        int old = in.pushLimit(in.readRawVarint32()); // one Label message
        String name = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
          if (tag >>> 3 == 1) {
            name = in.readString();
          } else if (tag >>> 3 == 2) {
            value = in.readString();
          } else {
            in.skipField(tag);
          }
        }
        in.popLimit(old);
        out.add(name);
        out.add(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.isEmpty() ? new String[] {"", ""} : out.toArray(new String[0]);
  }

  /**
   * Appends one {@code TimeSeries} with {@code n} samples from the arrays at {@code from} and
   * {@code en} exemplars ({@code Exemplar { repeated Label labels = 1; double value = 2; int64
   * timestamp = 3; }}) from the exemplar arrays at {@code ef}. The series' labels are the
   * concatenation of {@code labelParts} (encoded {@code Label} fields, {@code labelsSize} bytes in
   * all).
   */
  void addSeries(
      byte[][] labelParts,
      int labelsSize,
      long[] ts,
      double[] vs,
      int from,
      int n,
      long[] ets,
      double[] evs,
      Labels[] els,
      int ef,
      int en) {
    int samplesSize = 0;
    for (int i = from; i < from + n; i++) {
      samplesSize += sampleFieldSize(ts[i]);
    }
    int[] exSizes = en == 0 ? null : new int[en];
    byte[][] exLabels = en == 0 ? null : new byte[en][];
    for (int i = 0; i < en; i++) {
      exLabels[i] = encodeLabels(els[ef + i]);
      exSizes[i] = exLabels[i].length + 9 + (ets[ef + i] != 0 ? 1 + varintSize(ets[ef + i]) : 0);
      samplesSize += 1 + varintSize(exSizes[i]) + exSizes[i];
    }
    int seriesSize = labelsSize + samplesSize;
    ensure(1 + varintSize(seriesSize) + seriesSize);
    // Written straight into the buffer: this runs for every sample sent.
    byte[] b = buf;
    int p = len;
    b[p++] = TIMESERIES_TAG;
    p = putVarint(b, p, seriesSize);
    for (byte[] part : labelParts) {
      System.arraycopy(part, 0, b, p, part.length);
      p += part.length;
    }
    for (int i = from; i < from + n; i++) {
      long t = ts[i];
      b[p++] = SAMPLES_TAG;
      b[p++] = (byte) sampleSize(t); // at most 20: one byte
      b[p++] = VALUE_TAG;
      LONG_LE.set(b, p, Double.doubleToRawLongBits(vs[i]));
      p += 8;
      if (t != 0) {
        b[p++] = TIMESTAMP_TAG;
        p = putVarint(b, p, t);
      }
    }
    for (int i = 0; i < en; i++) {
      b[p++] = EXEMPLARS_TAG;
      p = putVarint(b, p, exSizes[i]);
      System.arraycopy(exLabels[i], 0, b, p, exLabels[i].length);
      p += exLabels[i].length;
      b[p++] = EXEMPLAR_VALUE_TAG;
      LONG_LE.set(b, p, Double.doubleToRawLongBits(evs[ef + i]));
      p += 8;
      if (ets[ef + i] != 0) {
        b[p++] = EXEMPLAR_TIMESTAMP_TAG;
        p = putVarint(b, p, ets[ef + i]);
      }
    }
    len = p;
  }

  /** Appends one {@code MetricMetadata} for the family {@code family}. */
  void addMetadata(String family, Metadata md) {
    int type = metricType(md.type());
    int inner =
        (type == 0 ? 0 : CodedOutputStream.computeEnumSize(1, type))
            + CodedOutputStream.computeStringSize(2, family)
            + (md.help().isEmpty() ? 0 : CodedOutputStream.computeStringSize(4, md.help()))
            + (md.unit().isEmpty() ? 0 : CodedOutputStream.computeStringSize(5, md.unit()));
    ensure(1 + CodedOutputStream.computeUInt32SizeNoTag(inner) + inner);
    CodedOutputStream cos = CodedOutputStream.newInstance(buf, len, buf.length - len);
    try {
      cos.writeTag(3, 2);
      cos.writeUInt32NoTag(inner);
      if (type != 0) {
        cos.writeEnum(1, type);
      }
      cos.writeString(2, family);
      if (!md.help().isEmpty()) {
        cos.writeString(4, md.help());
      }
      if (!md.unit().isEmpty()) {
        cos.writeString(5, md.unit());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    len += cos.getTotalBytesWritten();
  }

  /**
   * Appends fields encoded elsewhere (a {@code TimeSeries} of histograms, {@link
   * HistogramMessages}).
   */
  void appendRaw(byte[] fields) {
    ensure(fields.length);
    System.arraycopy(fields, 0, buf, len, fields.length);
    len += fields.length;
  }

  /** The encoded request so far (a view: valid until the next call). */
  byte[] array() {
    return buf;
  }

  int length() {
    return len;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** {@code MetricMetadata.MetricType} of a family type as the exposition formats name it. */
  static int metricType(String type) {
    return switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
      case "counter" -> 1;
      case "gauge" -> 2;
      case "histogram" -> 3;
      case "gaugehistogram" -> 4;
      case "summary" -> 5;
      case "info" -> 6;
      case "stateset" -> 7;
      default -> 0;
    };
  }

  private static int sampleSize(long t) {
    return 9 + (t != 0 ? 1 + varintSize(t) : 0);
  }

  private static int sampleFieldSize(long t) {
    return 2 + sampleSize(t); // tag and a one-byte length
  }

  /** The bytes of {@code v} as a protobuf varint (negative int64s take ten). */
  static int varintSize(long v) {
    return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
  }

  /** Writes {@code v} as a protobuf varint at {@code p}; returns the position after it. */
  private static int putVarint(byte[] b, int p, long v) {
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    return p;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }
}
