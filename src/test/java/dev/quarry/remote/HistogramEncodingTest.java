package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Metadata;
import io.prometheus.write.v2.Types;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import prometheus.prompb.Remote;

/**
 * What the senders write, read back field by field with the classes protoc generates from
 * Prometheus' published protos: native histograms in 1.0's {@code WriteRequest}, and 2.0's {@code
 * Request} with its symbols table; and the bytes a sample costs on the wire in each.
 */
class HistogramEncodingTest {
  private static byte[][] series(String... nv) {
    byte[][] parts = new byte[nv.length / 2][];
    for (int i = 0; i < nv.length; i += 2) {
      parts[i / 2] = WriteRequestEncoder.encodeLabel(nv[i], nv[i + 1]);
    }
    return parts;
  }

  private static int size(byte[][] parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    return n;
  }

  static Histogram integerHistogram() {
    Histogram h =
        new Histogram().set(1, 0.001, 2, 14, 17.5).hint(CounterResetHint.NOT_COUNTER_RESET);
    h.positiveSpans().add(-1, 2).add(3, 1);
    h.addPositiveDelta(3).addPositiveDelta(-1).addPositiveDelta(2);
    h.negativeSpans().add(0, 1);
    h.addNegativeDelta(3);
    return h;
  }

  static FloatHistogram floatHistogram() {
    FloatHistogram fh =
        new FloatHistogram().set(0, 0, 0.5, 4.5, -2.25).hint(CounterResetHint.GAUGE);
    fh.positiveSpans().add(2, 2);
    fh.addPositiveCount(1.5).addPositiveCount(2.5);
    return fh;
  }

  @Test
  void remoteWrite1CarriesIntegerAndFloatHistogramsFieldByField() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    byte[][] s = series("__name__", "latency", "job", "a");
    HistogramMessages.addSeriesV1(
        enc,
        s,
        size(s),
        new long[] {1000, 2000},
        new Object[] {integerHistogram(), floatHistogram()},
        0,
        2);
    Remote.WriteRequest req = Remote.WriteRequest.parseFrom(enc.toByteArray());
    assertEquals(1, req.getTimeseriesCount());
    Remote.TimeSeries ts = req.getTimeseries(0);
    assertEquals("__name__", ts.getLabels(0).getName());
    assertEquals("latency", ts.getLabels(0).getValue());
    assertEquals("a", ts.getLabels(1).getValue());
    assertEquals(0, ts.getSamplesCount(), "no empty float samples beside the histograms");
    Remote.Histogram h = ts.getHistograms(0);
    assertEquals(Remote.Histogram.CountCase.COUNT_INT, h.getCountCase());
    assertEquals(14, h.getCountInt());
    assertEquals(2, h.getZeroCountInt());
    assertEquals(17.5, h.getSum());
    assertEquals(1, h.getSchema());
    assertEquals(0.001, h.getZeroThreshold());
    assertEquals(2, h.getPositiveSpansCount());
    assertEquals(-1, h.getPositiveSpans(0).getOffset());
    assertEquals(2, h.getPositiveSpans(0).getLength());
    assertEquals(3, h.getPositiveSpans(1).getOffset());
    assertEquals(1, h.getPositiveSpans(1).getLength());
    assertEquals(List.of(3L, -1L, 2L), h.getPositiveDeltasList());
    assertEquals(List.of(3L), h.getNegativeDeltasList());
    assertEquals(0, h.getNegativeSpans(0).getOffset());
    assertEquals(Remote.Histogram.ResetHint.NO, h.getResetHint());
    assertEquals(1000, h.getTimestamp());
    assertEquals(0, h.getPositiveCountsCount());

    Remote.Histogram f = ts.getHistograms(1);
    assertEquals(Remote.Histogram.CountCase.COUNT_FLOAT, f.getCountCase());
    assertEquals(4.5, f.getCountFloat());
    assertEquals(Remote.Histogram.ZeroCountCase.ZERO_COUNT_FLOAT, f.getZeroCountCase());
    assertEquals(0.5, f.getZeroCountFloat());
    assertEquals(-2.25, f.getSum());
    assertEquals(0, f.getSchema());
    assertEquals(List.of(1.5, 2.5), f.getPositiveCountsList());
    assertEquals(2, f.getPositiveSpans(0).getOffset());
    assertEquals(Remote.Histogram.ResetHint.GAUGE, f.getResetHint());
    assertEquals(2000, f.getTimestamp());
  }

  @Test
  void aZeroCountStaysAnIntegerOrAFloatCount() throws Exception {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    byte[][] s = series("__name__", "empty");
    HistogramMessages.addSeriesV1(
        enc,
        s,
        size(s),
        new long[] {5, 6},
        new Object[] {new Histogram(), new FloatHistogram()},
        0,
        2);
    Remote.TimeSeries ts = Remote.WriteRequest.parseFrom(enc.toByteArray()).getTimeseries(0);
    assertEquals(Remote.Histogram.CountCase.COUNT_INT, ts.getHistograms(0).getCountCase());
    assertEquals(Remote.Histogram.CountCase.COUNT_FLOAT, ts.getHistograms(1).getCountCase());
  }

  @Test
  void remoteWrite2ResolvesEveryStringThroughTheSymbolsTable() throws Exception {
    WriteRequestV2Encoder enc = new WriteRequestV2Encoder();
    byte[][] s = series("__name__", "requests_total", "job", "api");
    double stale = Double.longBitsToDouble(StaleMarker.STALE_NAN_BITS);
    enc.addSeries(
        s,
        new Metadata("counter", "Requests served.", "requests"),
        new long[] {1000, 2000},
        new double[] {3, stale},
        0,
        2,
        new long[] {1500},
        new double[] {1},
        new Labels[] {Labels.of("trace_id", "abc")},
        0,
        1,
        new long[] {3000},
        new Object[] {integerHistogram()},
        0,
        1);
    enc.addSeries(
        series("__name__", "up", "job", "api"),
        null,
        new long[] {1000},
        new double[] {1},
        0,
        1,
        null,
        null,
        null,
        0,
        0,
        null,
        null,
        0,
        0);
    Types.Request req = Types.Request.parseFrom(enc.toByteArray());
    List<String> sym = req.getSymbolsList();
    assertEquals("", sym.get(0), "the spec's first symbol");
    assertEquals(sym.size(), new java.util.HashSet<>(sym).size(), "each string once");
    Types.TimeSeries a = req.getTimeseries(0);
    assertEquals(
        List.of("__name__", "requests_total", "job", "api"), resolve(sym, a.getLabelsRefsList()));
    assertEquals(2, a.getSamplesCount());
    assertEquals(1000, a.getSamples(0).getTimestamp());
    assertEquals(3, a.getSamples(0).getValue());
    assertEquals(
        StaleMarker.STALE_NAN_BITS, Double.doubleToRawLongBits(a.getSamples(1).getValue()));
    assertEquals(1, a.getExemplarsCount());
    assertEquals(List.of("trace_id", "abc"), resolve(sym, a.getExemplars(0).getLabelsRefsList()));
    assertEquals(1500, a.getExemplars(0).getTimestamp());
    assertEquals(1, a.getExemplars(0).getValue());
    Types.Histogram h = a.getHistograms(0);
    assertEquals(14, h.getCountInt());
    assertEquals(List.of(3L, -1L, 2L), h.getPositiveDeltasList());
    assertEquals(3000, h.getTimestamp());
    assertEquals(Types.Histogram.ResetHint.RESET_HINT_NO, h.getResetHint());
    assertEquals(Types.Metadata.MetricType.METRIC_TYPE_COUNTER, a.getMetadata().getType());
    assertEquals("Requests served.", sym.get(a.getMetadata().getHelpRef()));
    assertEquals("requests", sym.get(a.getMetadata().getUnitRef()));
    Types.TimeSeries b = req.getTimeseries(1);
    assertEquals(List.of("__name__", "up", "job", "api"), resolve(sym, b.getLabelsRefsList()));
    assertEquals(false, b.hasMetadata());
    assertEquals(0, b.getCreatedTimestamp());
  }

  private static List<String> resolve(List<String> sym, List<Integer> refs) {
    List<String> out = new ArrayList<>();
    for (int r : refs) {
      out.add(sym.get(r));
    }
    return out;
  }

  /**
   * The repository's farm payload (one scrape of a node-exporter-like target) as one batch: bytes
   * per sample on the wire, snappy-compressed, in 1.0 and in 2.0. Printed for the benchmarks page;
   * 2.0's symbols table must make it smaller.
   */
  @Test
  void bytesPerSampleOfTheFarmPayload() throws Exception {
    Path fixture = Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"));
    List<String> lines = Files.readAllLines(fixture.resolve("farm_payload.prom"));
    List<byte[][]> sers = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Map<String, Metadata> types = new HashMap<>();
    for (String line : lines) {
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        types.put(p[2], new Metadata(p[3], "", ""));
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      String key = line.substring(0, sp);
      values.add(Double.parseDouble(line.substring(sp + 1)));
      List<String> nv = new ArrayList<>();
      int brace = key.indexOf('{');
      nv.add("__name__");
      nv.add(brace < 0 ? key : key.substring(0, brace));
      if (brace >= 0) {
        for (String pair : key.substring(brace + 1, key.length() - 1).split("\",")) {
          int eq = pair.indexOf('=');
          nv.add(pair.substring(0, eq));
          String v = pair.substring(eq + 2);
          nv.add(v.endsWith("\"") ? v.substring(0, v.length() - 1) : v);
        }
      }
      nv.add("instance");
      nv.add("host-17:9100");
      nv.add("job");
      nv.add("node");
      sers.add(series(nv.toArray(new String[0])));
    }
    int n = sers.size();
    long t = 1_764_680_000_000L;
    WriteRequestEncoder v1 = new WriteRequestEncoder();
    WriteRequestV2Encoder v2 = new WriteRequestV2Encoder();
    SnappyBlock snappy = new SnappyBlock();
    for (int i = 0; i < n; i++) {
      byte[][] s = sers.get(i);
      long[] ts = {t};
      double[] vs = {values.get(i)};
      v1.addSeries(s, size(s), ts, vs, 0, 1, null, null, null, 0, 0);
      v2.addSeries(s, null, ts, vs, 0, 1, null, null, null, 0, 0, null, null, 0, 0);
    }
    byte[] raw2 = v2.toByteArray();
    int c1 = snappy.compress(v1.array(), v1.length()).length;
    int c2 = snappy.compress(raw2, raw2.length).length;
    System.out.printf(
        "farm_payload, %d samples in one request: 1.0 %d bytes raw, %d snappy (%.2f B/sample);"
            + " 2.0 %d raw, %d snappy (%.2f B/sample)%n",
        n, v1.length(), c1, (double) c1 / n, raw2.length, c2, (double) c2 / n);
    assertTrue(n > 1000, "the fixture's samples: " + n);
    assertTrue(raw2.length < v1.length(), "2.0 raw " + raw2.length + " vs 1.0 " + v1.length());
    assertTrue(c2 < c1, "2.0 snappy " + c2 + " vs 1.0 " + c1);
  }
}
