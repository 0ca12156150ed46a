package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The protobuf parser over pages client_java writes, against its text format as the reference. */
class ProtobufParserTest {
  private static final MetricSnapshots SNAPSHOTS = ClientJavaPages.registry().scrape();

  /** Every entry as a line; HISTOGRAM entries as their series and histogram. */
  static List<String> entries(ProtobufParser p, byte[] body) throws ParseException {
    p.reset(body, 0, body.length);
    List<String> out = new ArrayList<>();
    Exemplar ex = new Exemplar();
    Histogram h = new Histogram();
    FloatHistogram fh = new FloatHistogram();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      switch (e) {
        case HELP -> out.add("HELP " + p.familyName() + " " + p.help());
        case TYPE -> out.add("TYPE " + p.familyName() + " " + p.type().wireName());
        case UNIT -> out.add("UNIT " + p.familyName() + " " + p.unit());
        case HISTOGRAM -> out.add(p.labels() + " " + (p.histogram(h, fh) ? h : fh));
        case SERIES -> {
          String s = p.labels() + " " + p.value() + (p.hasTimestamp() ? " @" + p.timestamp() : "");
          if (p.exemplar(ex)) {
            s += " # " + ex.labels() + " " + ex.value();
          }
          out.add(s);
        }
        default -> throw new AssertionError(e);
      }
    }
    return out;
  }

  /** What both formats say as sorted lines, exemplars and entry order left aside. */
  private static TreeSet<String> samples(List<String> lines) {
    TreeSet<String> s = new TreeSet<>();
    for (String l : lines) {
      s.add(l.contains(" # ") ? l.substring(0, l.indexOf(" # ")) : l);
    }
    return s;
  }

  @Test
  void classicSeriesAreThoseOfTheTextFormat() throws Exception {
    List<String> proto = entries(new ProtobufParser(), ClientJavaPages.protobuf(SNAPSHOTS));
    List<String> text =
        Entries.of(
            new PromTextParser(),
            new String(ClientJavaPages.text(SNAPSHOTS), StandardCharsets.UTF_8));
    assertEquals(samples(text), samples(proto));
    assertTrue(
        proto.contains("{__name__=\"request_size_bytes_bucket\", le=\"1.0\"} 2.0"),
        proto::toString);
    assertTrue(
        proto.contains("{__name__=\"latency_seconds_bucket\", le=\"+Inf\"} 4.0"),
        "a native-only histogram's classic series end in a +Inf bucket: " + proto);
  }

  @Test
  void familiesGiveHelpTypeAndSamplesInPrometheusOrder() throws Exception {
    List<String> proto = entries(new ProtobufParser(), ClientJavaPages.protobuf(SNAPSHOTS));
    int help = proto.indexOf("HELP rpc_duration_seconds RPC latency.");
    assertEquals(
        List.of(
            "HELP rpc_duration_seconds RPC latency.",
            "TYPE rpc_duration_seconds summary",
            "{__name__=\"rpc_duration_seconds_count\", service=\"auth\"} 4.0",
            "{__name__=\"rpc_duration_seconds_sum\", service=\"auth\"} 6.75",
            "{__name__=\"rpc_duration_seconds\", quantile=\"0.5\", service=\"auth\"} 1.5",
            "{__name__=\"rpc_duration_seconds\", quantile=\"0.9\", service=\"auth\"} 3.0",
            "{__name__=\"rpc_duration_seconds\", quantile=\"0.99\", service=\"auth\"} 3.0"),
        proto.subList(help, help + 7));
  }

  @Test
  void exemplarsOfCountersAndBucketsAreRead() throws Exception {
    List<String> proto = entries(new ProtobufParser(), ClientJavaPages.protobuf(SNAPSHOTS));
    assertTrue(
        proto.contains(
            "{__name__=\"http_requests_total\", code=\"500\", method=\"post\"} 2.0"
                + " # {trace_id=\"abc123\"} 2.0"),
        proto::toString);
    assertTrue(
        proto.contains(
            "{__name__=\"request_size_bytes_bucket\", le=\"0.5\"} 1.0 # {trace_id=\"def456\"} 0.3"),
        proto::toString);
  }

  @Test
  void nativeHistogramIsOneEntryWithItsBuckets() throws Exception {
    ProtobufParser p = new ProtobufParser();
    p.configure(true, false);
    byte[] body = ClientJavaPages.protobuf(SNAPSHOTS);
    p.reset(body, 0, body.length);
    Histogram h = new Histogram();
    FloatHistogram fh = new FloatHistogram();
    Entry e;
    while ((e = p.next()) != Entry.HISTOGRAM || !p.familyName().equals("latency_seconds")) {
      assertFalse(e == Entry.EOF, "no native histogram");
    }
    assertEquals("latency_seconds", new String(p.buffer(), 0, p.seriesLength()));
    assertTrue(p.histogram(h, fh), "integer counts");
    h.validate();
    assertEquals(0, h.schema());
    assertEquals(4, h.count());
    assertEquals(6.75, h.sum());
    assertEquals(CounterResetHint.UNKNOWN, h.hint());
    // 0.75 in (0.5,1], 1.5 twice in (1,2], 3 in (2,4].
    assertEquals(
        "[(0.5,1.0]:1.0, (1.0,2.0]:2.0, (2.0,4.0]:1.0]",
        h.toFloat(new FloatHistogram()).positiveBuckets().toString());
  }

  @Test
  void classicSeriesFollowTheNativeHistogramOnlyWhenAskedFor() throws Exception {
    byte[] body = ClientJavaPages.protobuf(SNAPSHOTS);
    ProtobufParser p = new ProtobufParser();
    p.configure(true, false);
    List<String> nativeOnly = entries(p, body);
    p.configure(true, true);
    List<String> both = entries(p, body);
    String db = "{__name__=\"db_seconds\", db=\"main\"} Histogram{schema=0, count=4";
    assertTrue(nativeOnly.stream().anyMatch(l -> l.startsWith(db)), nativeOnly::toString);
    assertFalse(nativeOnly.stream().anyMatch(l -> l.contains("db_seconds_bucket")));
    int at = indexOf(both, db);
    assertEquals(
        List.of(
            "{__name__=\"db_seconds_count\", db=\"main\"} 4.0",
            "{__name__=\"db_seconds_sum\", db=\"main\"} 6.75",
            "{__name__=\"db_seconds_bucket\", db=\"main\", le=\"1.0\"} 1.0",
            "{__name__=\"db_seconds_bucket\", db=\"main\", le=\"2.0\"} 3.0",
            "{__name__=\"db_seconds_bucket\", db=\"main\", le=\"4.0\"} 4.0",
            "{__name__=\"db_seconds_bucket\", db=\"main\", le=\"+Inf\"} 4.0"),
        both.subList(at + 1, at + 7));
    // A native-only histogram has no classic buckets to repeat.
    assertFalse(both.stream().anyMatch(l -> l.contains("latency_seconds_bucket")));
  }

  @Test
  void seriesBytesAreNameAndLabelsSeparatedBy0xff() throws Exception {
    ProtobufParser p = new ProtobufParser();
    byte[] body = ClientJavaPages.protobuf(SNAPSHOTS);
    p.reset(body, 0, body.length);
    List<String> raw = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        byte[] b = Arrays.copyOfRange(p.buffer(), p.seriesOffset(), p.seriesLength());
        assertEquals(SeriesHash.hash(b, 0, b.length), p.seriesHash());
        raw.add(new String(b, StandardCharsets.UTF_8).replace('\ufffd', '|'));
      }
    }
    assertTrue(raw.contains("http_requests_total|code|200|method|get"), raw::toString);
    assertTrue(raw.contains("request_size_bytes_bucket|le|2.5"), raw::toString);
    assertEquals(raw.size(), new TreeSet<>(raw).size(), "every series has its own bytes");
  }

  @Test
  void createdTimestampsOfClientJavaCounters() throws Exception {
    // client_java 1.8.0 writes created_timestamp for counters only (its summaries and histograms
    // keep it in the snapshot but leave the field out); the hand-built page below has the others.
    Set<Long> created = new HashSet<>();
    for (MetricSnapshot ms : SNAPSHOTS) {
      if (ms instanceof CounterSnapshot) {
        for (DataPointSnapshot dp : ms.getDataPoints()) {
          assertTrue(dp.hasCreatedTimestamp());
          created.add(dp.getCreatedTimestampMillis());
        }
      }
    }
    byte[] body = ClientJavaPages.protobuf(SNAPSHOTS);
    ProtobufParser p = new ProtobufParser();
    p.configure(true, true);
    p.reset(body, 0, body.length);
    String family = null;
    Set<Long> seen = new HashSet<>();
    int samples = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.TYPE) {
        family = p.familyName();
      } else if (e == Entry.SERIES || e == Entry.HISTOGRAM) {
        samples++;
        if (family.equals("http_requests_total")) {
          seen.add(p.createdTimestamp());
        } else {
          assertEquals(0, p.createdTimestamp(), family + " has no created timestamp");
        }
      }
    }
    assertEquals(created, seen);
    assertTrue(samples > 20, "samples " + samples);
    byte[] text = ClientJavaPages.text(SNAPSHOTS);
    PromTextParser tp = new PromTextParser();
    tp.reset(text, 0, text.length);
    for (Entry e = tp.next(); e != Entry.EOF; e = tp.next()) {
      assertEquals(0, tp.createdTimestamp(), "the text format has none");
    }
  }

  @Test
  void createdTimestampIsSecondsAndNanosInMillis() throws Exception {
    ProtoBodies.Msg ct = ProtoBodies.msg().varint(1, 1700000000L).varint(2, 123_999_999);
    byte[] body =
        ProtoBodies.delimited(
            ProtoBodies.msg()
                .string(1, "jobs_total")
                .varint(3, 0) // COUNTER
                .msg(4, ProtoBodies.msg().msg(3, ProtoBodies.msg().dbl(1, 7).msg(3, ct)))
                .msg(4, ProtoBodies.msg().msg(3, ProtoBodies.msg().dbl(1, 8))),
            ProtoBodies.msg()
                .string(1, "rpc_seconds")
                .varint(3, 2) // SUMMARY
                .msg(4, ProtoBodies.msg().msg(4, ProtoBodies.msg().varint(1, 1).msg(4, ct))),
            ProtoBodies.msg()
                .string(1, "size_bytes")
                .varint(3, 4) // HISTOGRAM
                .msg(4, ProtoBodies.msg().msg(7, ProtoBodies.msg().varint(1, 1).msg(15, ct))));
    ProtobufParser p = new ProtobufParser();
    p.reset(body, 0, body.length);
    List<Long> cts = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        cts.add(p.createdTimestamp());
      }
    }
    long ms = 1700000000123L;
    // Counter with, counter without (cleared between metrics), summary _count/_sum, histogram
    // _count/_sum/+Inf bucket.
    assertEquals(List.of(ms, 0L, ms, ms, ms, ms, ms), cts);
  }

  @Test
  void floatGaugeHistogramWithTimestamp() throws Exception {
    ProtoBodies.Msg hist =
        ProtoBodies.msg()
            .dbl(4, 5.0) // sample_count_float
            .dbl(2, 10.0) // sample_sum
            .sint(5, 1) // schema
            .dbl(6, 0.01) // zero_threshold
            .dbl(8, 1.0) // zero_count_float
            .msg(12, ProtoBodies.msg().sint(1, -1).varint(2, 2)) // positive span
            .packed(14, 3.0, 1.0); // positive counts
    byte[] body =
        ProtoBodies.delimited(
            ProtoBodies.msg()
                .string(1, "queue_fill")
                .varint(3, 5) // GAUGE_HISTOGRAM
                .msg(4, ProtoBodies.msg().msg(7, hist).varint(6, 1700000000123L)));
    ProtobufParser p = new ProtobufParser();
    p.configure(true, true);
    List<String> lines = entries(p, body);
    assertEquals(
        List.of(
            "HELP queue_fill ",
            "TYPE queue_fill gaugehistogram",
            "{__name__=\"queue_fill\"} FloatHistogram{schema=1, count=5.0, sum=10.0,"
                + " zero=0.01:1.0, positive=[-1:2][3.0, 1.0], negative=[][], hint=GAUGE}"),
        lines);
    p.reset(body, 0, body.length);
    while (p.next() != Entry.HISTOGRAM) {}
    assertTrue(p.hasTimestamp());
    assertEquals(1700000000123L, p.timestamp());
  }

  @Test
  void withNativeHistogramsOffAFloatHistogramGivesItsCountAndSum() throws Exception {
    ProtoBodies.Msg hist =
        ProtoBodies.msg().dbl(4, 5.0).dbl(2, 10.0).dbl(8, 1.0).msg(12, ProtoBodies.msg());
    byte[] body =
        ProtoBodies.delimited(
            ProtoBodies.msg().string(1, "f").varint(3, 4).msg(4, ProtoBodies.msg().msg(7, hist)));
    assertEquals(
        List.of(
            "HELP f ",
            "TYPE f histogram",
            "{__name__=\"f_count\"} 5.0",
            "{__name__=\"f_sum\"} 10.0",
            "{__name__=\"f_bucket\", le=\"+Inf\"} 5.0"),
        entries(new ProtobufParser(), body));
  }

  @Test
  void brokenBodyNamesTheByteOffset() {
    byte[] good = ClientJavaPages.protobuf(SNAPSHOTS);
    byte[] body = Arrays.copyOf(good, good.length + 2);
    body[good.length] = 5; // a family of 5 bytes, of which 1 follows
    body[good.length + 1] = 0x0a;
    ParseException e =
        assertThrows(ParseException.class, () -> entries(new ProtobufParser(), body));
    assertEquals(
        "byte " + good.length + ": protobuf: length 5 exceeds the 1 bytes left", e.getMessage());
    assertEquals(good.length, e.byteOffset());
  }

  @Test
  void wrongWireTypeAndBadNamesAreErrors() {
    byte[] wrongType =
        ProtoBodies.delimited(
            ProtoBodies.msg().string(1, "x").msg(4, ProtoBodies.msg().varint(7, 3)));
    assertEquals(
        "byte 6: protobuf: field histogram has wire type 0, want 2",
        assertThrows(ParseException.class, () -> entries(new ProtobufParser(), wrongType))
            .getMessage());
    byte[] badName =
        ProtoBodies.delimited(ProtoBodies.msg().string(1, "1x").msg(4, ProtoBodies.msg()));
    assertEquals(
        "byte 0: protobuf: invalid metric name \"1x\"",
        assertThrows(ParseException.class, () -> entries(new ProtobufParser(), badName))
            .getMessage());
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError(prefix + " not in " + lines);
  }
}
