package dev.quarry.remote;

import com.google.protobuf.CodedOutputStream;
import dev.quarry.model.Labels;
import dev.quarry.storage.Metadata;
import java.io.IOException;
import java.io.UncheckedIOException;
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
  private byte[] buf = new byte[64 * 1024];
  private int len;
  private CodedOutputStream cos; // writes buf from cosStart; null after reset or growth
  private int cosStart;

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
    cos = null;
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
    try {
      com.google.protobuf.CodedInputStream in =
          com.google.protobuf.CodedInputStream.newInstance(field);
      in.readTag();
      in.readRawVarint32(); // the Label message's length
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
      return new String[] {name, value};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
      exSizes[i] =
          exLabels[i].length
              + 9
              + (ets[ef + i] != 0 ? CodedOutputStream.computeInt64Size(3, ets[ef + i]) : 0);
      samplesSize += 1 + CodedOutputStream.computeUInt32SizeNoTag(exSizes[i]) + exSizes[i];
    }
    int seriesSize = labelsSize + samplesSize;
    ensure(CodedOutputStream.computeUInt32SizeNoTag(seriesSize) + 1 + seriesSize);
    CodedOutputStream cos = stream();
    try {
      cos.writeTag(1, 2);
      cos.writeUInt32NoTag(seriesSize);
      for (byte[] part : labelParts) {
        cos.writeRawBytes(part);
      }
      for (int i = from; i < from + n; i++) {
        cos.writeTag(2, 2);
        cos.writeUInt32NoTag(sampleSize(ts[i]));
        cos.writeFixed64(1, Double.doubleToRawLongBits(vs[i]));
        if (ts[i] != 0) {
          cos.writeInt64(2, ts[i]);
        }
      }
      for (int i = 0; i < en; i++) {
        cos.writeTag(3, 2);
        cos.writeUInt32NoTag(exSizes[i]);
        cos.writeRawBytes(exLabels[i]);
        cos.writeFixed64(2, Double.doubleToRawLongBits(evs[ef + i]));
        if (ets[ef + i] != 0) {
          cos.writeInt64(3, ets[ef + i]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    len = cosStart + cos.getTotalBytesWritten();
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
    CodedOutputStream cos = stream();
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
    len = cosStart + cos.getTotalBytesWritten();
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
    return 9 + (t != 0 ? CodedOutputStream.computeInt64Size(2, t) : 0);
  }

  private static int sampleFieldSize(long t) {
    int s = sampleSize(t);
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(s) + s;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      cos = null;
    }
  }

  /**
   * The stream writing at {@code len}: one per request and buffer (not one per series), so callers
   * {@link #ensure} room first and set {@code len} from it after writing.
   */
  private CodedOutputStream stream() {
    if (cos == null) {
      cos = CodedOutputStream.newInstance(buf, len, buf.length - len);
      cosStart = len;
    }
    return cos;
  }
}
