package dev.quarry.web;

import static dev.quarry.web.WriteRequestDecoder.expect;
import static dev.quarry.web.WriteRequestDecoder.float64;
import static dev.quarry.web.WriteRequestDecoder.int64;
import static dev.quarry.web.WriteRequestDecoder.string;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.quarry.storage.Metadata;
import dev.quarry.web.WriteRequestDecoder.DecodeException;
import dev.quarry.web.WriteRequestDecoder.Exemplar;
import dev.quarry.web.WriteRequestDecoder.Label;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a remote write 2.0 request body (already decompressed with {@link
 * WriteRequestDecoder#decompress}): protobuf {@code io.prometheus.write.v2.Request}, whose strings
 * sit once in a symbols table and are referenced by index:
 *
 * <pre>
 * Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2;
 *              repeated Histogram histograms = 3; repeated Exemplar exemplars = 4;
 *              Metadata metadata = 5; int64 created_timestamp = 6; }
 * Exemplar   { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
 * Sample     { double value = 1; int64 timestamp = 2; }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * </pre>
 *
 * <p>A body that is not valid protobuf fails as a whole ({@link DecodeException}). A reference
 * outside the symbols table or an odd number of label references fails only its series, which then
 * carries the reason in {@link Series#invalid()}, with Prometheus' texts, so the receiver writes
 * the rest of the request. Histograms as in 1.0 ({@link WriteRequestHistogramDecoder}). Stateless
 * and thread-safe.
 */
final class WriteRequestV2Decoder {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  /** Prometheus' names of {@code Metadata.MetricType} 0..7. */
  private static final String[] TYPES = {
    "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"
  };

  private WriteRequestV2Decoder() {}

  /**
   * One {@code TimeSeries}: labels resolved in wire order (unchecked), samples in wire order,
   * metadata or null when the series sends none (type unspecified, no help, no unit), and null or
   * why the series cannot be read.
   */
  record Series(
      List<Label> labels,
      long[] timestamps,
      double[] values,
      List<Exemplar> exemplars,
      List<WriteRequestHistogramDecoder.HistogramSample> histograms,
      Metadata metadata,
      long createdTimestamp,
      String invalid) {}

  /** An exemplar before its label references are checked. */
  private record RawExemplar(int[] refs, double value, long timestamp) {}

  /** Decodes uncompressed bytes. Symbols may come after the series that use them. */
  static List<Series> decodeProto(byte[] raw) throws DecodeException {
    List<String> symbols = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(raw);
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 4 -> symbols.add(string(in, tag, "Request.symbols[" + symbols.size() + "]"));
          case 5 -> {
            expect(tag, LEN, "Request.timeseries");
            int len = in.readRawVarint32();
            int at = in.getTotalBytesRead();
            if (len < 0 || len > raw.length - at) {
              throw new DecodeException("proto: timeseries[" + ranges.size() + "]: truncated");
            }
            ranges.add(new int[] {at, len});
            in.skipRawBytes(len);
          }
          default -> in.skipField(tag);
        }
      }
      String[] table = symbols.toArray(new String[0]);
      List<Series> out = new ArrayList<>(ranges.size());
      for (int[] r : ranges) {
        out.add(series(CodedInputStream.newInstance(raw, r[0], r[1]), table, out.size()));
      }
      return out;
    } catch (InvalidProtocolBufferException e) {
      throw new DecodeException("proto: " + e.getMessage());
    } catch (IOException e) {
      throw new DecodeException("proto: " + e);
    }
  }

  private static Series series(CodedInputStream in, String[] symbols, int index)
      throws IOException, DecodeException {
    String where = "timeseries[" + index + "]";
    int[] refs = new int[0];
    WriteRequestDecoder.Samples samples = new WriteRequestDecoder.Samples();
    List<RawExemplar> raws = new ArrayList<>();
    List<WriteRequestHistogramDecoder.HistogramSample> histograms = new ArrayList<>();
    int[] meta = null;
    long created = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> refs = uint32s(in, tag, refs, where + ".labels_refs");
        case 2 -> samples.read(in, tag, where + ".samples");
        case 3 -> {
          expect(tag, LEN, where + ".histograms");
          histograms.add(
              WriteRequestHistogramDecoder.read(
                  in, where + ".histograms[" + histograms.size() + "]"));
        }
        case 4 -> {
          expect(tag, LEN, where + ".exemplars");
          String ew = where + ".exemplars[" + raws.size() + "]";
          int old = in.pushLimit(in.readRawVarint32());
          int[] er = new int[0];
          double v = 0;
          long t = 0;
          int et;
          while ((et = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(et)) {
              case 1 -> er = uint32s(in, et, er, ew + ".labels_refs");
              case 2 -> v = float64(in, et, ew + ".value");
              case 3 -> t = int64(in, et, ew + ".timestamp");
              default -> in.skipField(et);
            }
          }
          in.popLimit(old);
          raws.add(new RawExemplar(er, v, t));
        }
        case 5 -> {
          expect(tag, LEN, where + ".metadata");
          meta = metadata(in, where + ".metadata");
        }
        case 6 -> created = int64(in, tag, where + ".created_timestamp");
        default -> in.skipField(tag);
      }
    }
    long[] times = samples.timestamps();
    double[] values = samples.values();
    String bad = checkRefs(refs, symbols);
    if (bad != null) {
      String msg = "parsing labels for series " + render(refs) + ": " + bad;
      return new Series(List.of(), times, values, List.of(), histograms, null, created, msg);
    }
    List<Exemplar> exemplars = new ArrayList<>(raws.size());
    for (RawExemplar e : raws) {
      bad = checkRefs(e.refs(), symbols);
      if (bad != null) {
        String msg = "parsing exemplar labels for series " + render(refs) + ": " + bad;
        return new Series(List.of(), times, values, List.of(), histograms, null, created, msg);
      }
      exemplars.add(new Exemplar(labels(e.refs(), symbols), e.value(), e.timestamp()));
    }
    Metadata md = null;
    if (meta != null) {
      if (meta[1] >= symbols.length || meta[2] >= symbols.length || meta[1] < 0 || meta[2] < 0) {
        String msg =
            "parsing metadata for series "
                + render(refs)
                + ": help_ref "
                + Integer.toUnsignedString(meta[1])
                + " or unit_ref "
                + Integer.toUnsignedString(meta[2])
                + " outside of symbols table (size "
                + symbols.length
                + ")";
        return new Series(List.of(), times, values, List.of(), histograms, null, created, msg);
      }
      String type = meta[0] >= 0 && meta[0] < TYPES.length ? TYPES[meta[0]] : "unknown";
      String help = symbols[meta[1]];
      String unit = symbols[meta[2]];
      if (meta[0] != 0 || !help.isEmpty() || !unit.isEmpty()) {
        md = new Metadata(type, help, unit);
      }
    }
    return new Series(
        labels(refs, symbols), times, values, exemplars, histograms, md, created, null);
  }

  /** {@code Metadata} as {type, help_ref, unit_ref}; refs of 0 are checked only when sent. */
  private static int[] metadata(CodedInputStream in, String where)
      throws IOException, DecodeException {
    int old = in.pushLimit(in.readRawVarint32());
    int[] m = new int[3];
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      int slot = field == 1 ? 0 : field == 3 ? 1 : field == 4 ? 2 : -1;
      if (slot < 0) {
        in.skipField(tag);
        continue;
      }
      expect(tag, WireFormat.WIRETYPE_VARINT, where + (slot == 0 ? ".type" : ".ref"));
      m[slot] = in.readRawVarint32();
    }
    in.popLimit(old);
    return m;
  }

  /** Appends a repeated {@code uint32}, packed (as proto3 writes it) or one value per tag. */
  private static int[] uint32s(CodedInputStream in, int tag, int[] to, String where)
      throws IOException, DecodeException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
      int[] out = Arrays.copyOf(to, to.length + 1);
      out[to.length] = in.readRawVarint32();
      return out;
    }
    expect(tag, LEN, where);
    int old = in.pushLimit(in.readRawVarint32());
    int[] out = Arrays.copyOf(to, to.length + 8);
    int n = to.length;
    while (in.getBytesUntilLimit() > 0) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = in.readRawVarint32();
    }
    in.popLimit(old);
    return Arrays.copyOf(out, n);
  }

  /** Null, or why {@code refs} are not pairs of indexes into {@code symbols} (Prometheus' text). */
  private static String checkRefs(int[] refs, String[] symbols) {
    if (refs.length % 2 != 0) {
      return "invalid labelRefs length " + refs.length;
    }
    for (int i = 0; i < refs.length; i += 2) {
      long name = Integer.toUnsignedLong(refs[i]);
      long value = Integer.toUnsignedLong(refs[i + 1]);
      if (name >= symbols.length || value >= symbols.length) {
        return "labelRefs "
            + name
            + " (name) = "
            + value
            + " (value) outside of symbols table (size "
            + symbols.length
            + ")";
      }
    }
    return null;
  }

  private static List<Label> labels(int[] refs, String[] symbols) {
    List<Label> out = new ArrayList<>(refs.length / 2);
    for (int i = 0; i < refs.length; i += 2) {
      out.add(new Label(symbols[refs[i]], symbols[refs[i + 1]]));
    }
    return out;
  }

  /** References as Go prints a slice: {@code [1 2 3]}. */
  private static String render(int[] refs) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < refs.length && i < 64; i++) {
      sb.append(i == 0 ? "" : " ").append(Integer.toUnsignedString(refs[i]));
    }
    return sb.append(refs.length > 64 ? " ...]" : "]").toString();
  }
}
