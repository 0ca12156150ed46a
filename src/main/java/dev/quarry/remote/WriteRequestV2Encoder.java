package dev.quarry.remote;

import com.google.protobuf.CodedOutputStream;
import dev.quarry.model.Labels;
import dev.quarry.storage.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes remote write 2.0's {@code io.prometheus.write.v2.Request}, every string once in the
 * request's symbols table (which starts with "", as the spec asks) and referenced by index:
 *
 * <pre>
 * Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2;
 *              repeated Histogram histograms = 3; repeated Exemplar exemplars = 4;
 *              Metadata metadata = 5; }
 * Sample     { double value = 1; int64 timestamp = 2; }
 * Exemplar   { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * </pre>
 *
 * <p>Series come as the 1.0 {@code Label} fields the WAL follower made ({@link SeriesLabels}); each
 * field array is decoded once and remembered. Histograms are {@link HistogramMessages}. Values are
 * written as their raw 64 bits, so staleness markers survive. {@code created_timestamp} is not
 * sent: the WAL does not carry it. Not thread-safe: one encoder per sending shard.
 */
final class WriteRequestV2Encoder {
  private final Map<byte[], String[]> decoded = new IdentityHashMap<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> symbols = new ArrayList<>();
  private final ByteArrayOutputStream series = new ByteArrayOutputStream(64 * 1024);
  private final ByteArrayOutputStream one = new ByteArrayOutputStream(1024);

  WriteRequestV2Encoder() {
    reset();
  }

  /** Starts a new request. */
  void reset() {
    index.clear();
    symbols.clear();
    series.reset();
    ref("");
    if (decoded.size() > 1_000_000) {
      decoded.clear();
    }
  }

  private int ref(String s) {
    Integer i = index.get(s);
    if (i == null) {
      i = symbols.size();
      symbols.add(s);
      index.put(s, i);
    }
    return i;
  }

  /**
   * Appends one {@code TimeSeries}: {@code n} samples from {@code from}, {@code en} exemplars from
   * {@code ef}, {@code hn} histograms from {@code hf}, and the series' metadata when not null.
   */
  void addSeries(
      byte[][] labelParts,
      Metadata md,
      long[] ts,
      double[] vs,
      int from,
      int n,
      long[] ets,
      double[] evs,
      Labels[] els,
      int ef,
      int en,
      long[] hts,
      Object[] hs,
      int hf,
      int hn) {
    one.reset();
    CodedOutputStream out = CodedOutputStream.newInstance(one, 1024);
    try {
      List<Integer> refs = new ArrayList<>();
      for (byte[] part : labelParts) {
        String[] nv = decoded.computeIfAbsent(part, WriteRequestEncoder::decodeLabels);
        for (String s : nv) {
          refs.add(ref(s));
        }
      }
      packed(out, 1, refs);
      for (int i = from; i < from + n; i++) {
        long t = ts[i];
        out.writeTag(2, 2);
        out.writeUInt32NoTag(9 + (t != 0 ? CodedOutputStream.computeInt64Size(2, t) : 0));
        out.writeFixed64(1, Double.doubleToRawLongBits(vs[i]));
        if (t != 0) {
          out.writeInt64(2, t);
        }
      }
      for (int i = hf; i < hf + hn; i++) {
        out.writeByteArray(3, HistogramMessages.encode(hts[i], hs[i]));
      }
      for (int i = ef; i < ef + en; i++) {
        List<Integer> er = new ArrayList<>();
        Labels l = els[i];
        for (int j = 0; j < l.size(); j++) {
          er.add(ref(l.name(j)));
          er.add(ref(l.value(j)));
        }
        long t = ets[i];
        int size = packedSize(1, er) + 9 + (t != 0 ? CodedOutputStream.computeInt64Size(3, t) : 0);
        out.writeTag(4, 2);
        out.writeUInt32NoTag(size);
        packed(out, 1, er);
        out.writeFixed64(2, Double.doubleToRawLongBits(evs[i]));
        if (t != 0) {
          out.writeInt64(3, t);
        }
      }
      if (md != null) {
        int type = WriteRequestEncoder.metricType(md.type());
        int help = ref(md.help());
        int unit = ref(md.unit());
        int size =
            (type == 0 ? 0 : CodedOutputStream.computeEnumSize(1, type))
                + (help == 0 ? 0 : CodedOutputStream.computeUInt32Size(3, help))
                + (unit == 0 ? 0 : CodedOutputStream.computeUInt32Size(4, unit));
        out.writeTag(5, 2);
        out.writeUInt32NoTag(size);
        if (type != 0) {
          out.writeEnum(1, type);
        }
        if (help != 0) {
          out.writeUInt32(3, help);
        }
        if (unit != 0) {
          out.writeUInt32(4, unit);
        }
      }
      out.flush();
      CodedOutputStream s = CodedOutputStream.newInstance(series, 16);
      s.writeTag(5, 2);
      s.writeUInt32NoTag(one.size());
      s.flush();
      one.writeTo(series);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request: the symbols table, then the series. */
  byte[] toByteArray() {
    ByteArrayOutputStream all = new ByteArrayOutputStream(series.size() + symbols.size() * 16);
    CodedOutputStream out = CodedOutputStream.newInstance(all, 4096);
    try {
      for (String s : symbols) {
        out.writeString(4, s);
      }
      out.flush();
      series.writeTo(all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toByteArray();
  }

  private static int packedSize(int field, List<Integer> vs) {
    if (vs.isEmpty()) {
      return 0;
    }
    int size = 0;
    for (int v : vs) {
      size += CodedOutputStream.computeUInt32SizeNoTag(v);
    }
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(size)
        + size;
  }

  private static void packed(CodedOutputStream out, int field, List<Integer> vs)
      throws IOException {
    if (vs.isEmpty()) {
      return;
    }
    int size = 0;
    for (int v : vs) {
      size += CodedOutputStream.computeUInt32SizeNoTag(v);
    }
    out.writeTag(field, 2);
    out.writeUInt32NoTag(size);
    for (int v : vs) {
      out.writeUInt32NoTag(v);
    }
  }
}
