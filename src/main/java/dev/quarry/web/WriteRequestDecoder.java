package dev.quarry.web;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a remote write 1.0 request body: snappy block format, then protobuf {@code
 * prometheus.WriteRequest} (the messages {@code remote.WriteRequestEncoder} writes, native
 * histograms included, {@link WriteRequestHistogramDecoder}):
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
 *                repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * Exemplar     { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * </pre>
 *
 * <p>Unknown fields are skipped, as protobuf readers do. Values keep their raw 64 bits, so
 * staleness markers stay markers. Stateless and thread-safe; every failure is a {@link
 * DecodeException} whose message says what was wrong and where.
 */
final class WriteRequestDecoder {
  /** The most bytes a body may decompress to; the snappy header states the size up front. */
  static final int MAX_DECOMPRESSED_BYTES = 64 << 20;

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private WriteRequestDecoder() {}

  /** A body that is not a valid snappy-compressed {@code WriteRequest}. */
  static final class DecodeException extends Exception {
    DecodeException(String message) {
      super(message, null, false, false);
    }
  }

  /** One label as sent: names may repeat or be out of order here; the receiver checks them. */
  record Label(String name, String value) {}

  /** One exemplar of a series. */
  record Exemplar(List<Label> labels, double value, long timestampMillis) {}

  /** One {@code TimeSeries}: labels in wire order, samples in wire order. */
  record Series(
      List<Label> labels,
      long[] timestamps,
      double[] values,
      List<Exemplar> exemplars,
      List<WriteRequestHistogramDecoder.HistogramSample> histograms) {}

  /**
   * The {@code Sample} messages of one series ({@code Sample { double value = 1; int64 timestamp =
   * 2; }}, the same in 1.0 and 2.0), in wire order. Used by one decode.
   */
  static final class Samples {
    private long[] ts = new long[4];
    private double[] vs = new double[4];
    private int n;

    /** Reads one length-delimited {@code Sample} field ({@code where} names it in errors). */
    void read(CodedInputStream in, int tag, String where) throws IOException, DecodeException {
      expect(tag, LEN, where);
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
      }
      int old = in.pushLimit(in.readRawVarint32());
      long t = 0;
      double v = 0;
      int st;
      while ((st = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(st)) {
          case 1 -> v = float64(in, st, where + ".value");
          case 2 -> t = int64(in, st, where + ".timestamp");
          default -> in.skipField(st);
        }
      }
      in.popLimit(old);
      ts[n] = t;
      vs[n] = v;
      n++;
    }

    long[] timestamps() {
      return Arrays.copyOf(ts, n);
    }

    double[] values() {
      return Arrays.copyOf(vs, n);
    }
  }

  /** The decoded request. Metadata entries are counted only: the receiver does not keep them. */
  record Request(List<Series> series, int metadataEntries) {}

  /** Decompresses and decodes a request body. */
  static Request decode(byte[] body) throws DecodeException {
    return decodeProto(decompress(body));
  }

  /** Snappy block format, with Go's snappy error texts. */
  static byte[] decompress(byte[] body) throws DecodeException {
    int len;
    try {
      len = SnappyDecompressor.getUncompressedLength(body, 0);
    } catch (MalformedInputException | IndexOutOfBoundsException e) {
      throw new DecodeException("snappy: corrupt input");
    }
    if (len < 0 || len > MAX_DECOMPRESSED_BYTES) {
      throw new DecodeException(
          "snappy: decoded block is too large: the body states "
              + Integer.toUnsignedString(len)
              + " bytes, the receiver takes at most "
              + MAX_DECOMPRESSED_BYTES);
    }
    byte[] raw = new byte[len];
    try {
      int n = new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, len);
      if (n != len) {
        throw new DecodeException("snappy: corrupt input");
      }
    } catch (MalformedInputException | IndexOutOfBoundsException e) {
      throw new DecodeException("snappy: corrupt input");
    }
    return raw;
  }

  /** Protobuf {@code WriteRequest} from uncompressed bytes. */
  static Request decodeProto(byte[] raw) throws DecodeException {
    CodedInputStream in = CodedInputStream.newInstance(raw);
    List<Series> series = new ArrayList<>();
    int metadata = 0;
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN, "WriteRequest.timeseries");
            int old = in.pushLimit(in.readRawVarint32());
            series.add(series(in, series.size()));
            in.popLimit(old);
          }
          case 3 -> {
            expect(tag, LEN, "WriteRequest.metadata");
            in.skipField(tag); // accepted and not kept, as Prometheus 2.42's receiver does
            metadata++;
          }
          default -> in.skipField(tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new DecodeException("proto: " + e.getMessage());
    } catch (IOException e) {
      throw new DecodeException("proto: " + e);
    }
    return new Request(series, metadata);
  }

  private static Series series(CodedInputStream in, int index) throws IOException, DecodeException {
    List<Label> labels = new ArrayList<>();
    Samples samples = new Samples();
    List<Exemplar> exemplars = List.of();
    List<WriteRequestHistogramDecoder.HistogramSample> histograms = List.of();
    int tag;
    String where = "timeseries[" + index + "]";
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, LEN, where + ".labels");
          labels.add(label(in, where + ".labels[" + labels.size() + "]"));
        }
        case 2 -> samples.read(in, tag, where + ".samples");
        case 3 -> {
          expect(tag, LEN, where + ".exemplars");
          if (exemplars.isEmpty()) {
            exemplars = new ArrayList<>();
          }
          exemplars.add(exemplar(in, where + ".exemplars[" + exemplars.size() + "]"));
        }
        case 4 -> {
          expect(tag, LEN, where + ".histograms");
          if (histograms.isEmpty()) {
            histograms = new ArrayList<>();
          }
          histograms.add(
              WriteRequestHistogramDecoder.read(
                  in, where + ".histograms[" + histograms.size() + "]"));
        }
        default -> in.skipField(tag);
      }
    }
    return new Series(labels, samples.timestamps(), samples.values(), exemplars, histograms);
  }

  private static Label label(CodedInputStream in, String where)
      throws IOException, DecodeException {
    int old = in.pushLimit(in.readRawVarint32());
    String name = "";
    String value = "";
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = string(in, tag, where + ".name");
        case 2 -> value = string(in, tag, where + ".value");
        default -> in.skipField(tag);
      }
    }
    in.popLimit(old);
    return new Label(name, value);
  }

  private static Exemplar exemplar(CodedInputStream in, String where)
      throws IOException, DecodeException {
    int old = in.pushLimit(in.readRawVarint32());
    List<Label> labels = new ArrayList<>();
    double value = 0;
    long t = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, LEN, where + ".labels");
          labels.add(label(in, where + ".labels[" + labels.size() + "]"));
        }
        case 2 -> value = float64(in, tag, where + ".value");
        case 3 -> t = int64(in, tag, where + ".timestamp");
        default -> in.skipField(tag);
      }
    }
    in.popLimit(old);
    return new Exemplar(labels, value, t);
  }

  /** A {@code double} field, after checking that {@code tag} carries one. */
  static double float64(CodedInputStream in, int tag, String where)
      throws IOException, DecodeException {
    expect(tag, WireFormat.WIRETYPE_FIXED64, where);
    return Double.longBitsToDouble(in.readRawLittleEndian64());
  }

  /** An {@code int64} field, after checking that {@code tag} carries one. */
  static long int64(CodedInputStream in, int tag, String where)
      throws IOException, DecodeException {
    expect(tag, WireFormat.WIRETYPE_VARINT, where);
    return in.readInt64();
  }

  /** A {@code string} field, after checking that {@code tag} carries one; UTF-8 is required. */
  static String string(CodedInputStream in, int tag, String where)
      throws IOException, DecodeException {
    expect(tag, LEN, where);
    return utf8(in, where);
  }

  private static String utf8(CodedInputStream in, String where)
      throws IOException, DecodeException {
    try {
      return in.readStringRequireUtf8();
    } catch (InvalidProtocolBufferException e) {
      if (e.getMessage() != null && e.getMessage().contains("UTF-8")) {
        throw new DecodeException("proto: " + where + ": invalid UTF-8");
      }
      throw e;
    }
  }

  static void expect(int tag, int wireType, String field) throws DecodeException {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new DecodeException(
          "proto: wrong wireType = " + WireFormat.getTagWireType(tag) + " for field " + field);
    }
  }
}
