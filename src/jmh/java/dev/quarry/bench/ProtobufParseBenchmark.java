package dev.quarry.bench;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.FloatFormat;
import dev.quarry.textparse.ParseException;
import dev.quarry.textparse.PromTextParser;
import dev.quarry.textparse.ProtobufParser;
import dev.quarry.textparse.SeriesHash;
import io.prometheus.metrics.core.metrics.Histogram.Builder;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Protobuf against text parsing of one histogram-heavy page written by client_java (100 histogram
 * families of 5 series, 11 classic buckets each, observed with seeded random values): the text
 * format, the same metrics in protobuf through {@link ProtobufParser} and through client_java's
 * generated protobuf-java classes (parsing each MetricFamily and building the same series bytes and
 * hash from them, the least a parser over generated classes has to do), and a page with native
 * histograms too, read as HISTOGRAM entries. One op = one page; {@link #main} prints the page sizes
 * and sample counts that turn the scores into MB/s and B/sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProtobufParseBenchmark {
  byte[] text;
  byte[] proto;
  byte[] protoNative;
  final PromTextParser textParser = new PromTextParser();
  final ProtobufParser protoParser = new ProtobufParser();
  final ProtobufParser nativeParser = new ProtobufParser();
  final Histogram h = new Histogram();
  final FloatHistogram fh = new FloatHistogram();
  byte[] scratch = new byte[1024];

  @Setup
  public void load() throws IOException {
    MetricSnapshots classic = registry(false).scrape();
    text = write(classic, false);
    proto = write(classic, true);
    protoNative = write(registry(true).scrape(), true);
    nativeParser.configure(true, true);
  }

  static PrometheusRegistry registry(boolean withNative) {
    PrometheusRegistry r = new PrometheusRegistry();
    Random random = new Random(42);
    for (int i = 0; i < 100; i++) {
      Builder b =
          io.prometheus.metrics.core.metrics.Histogram.builder()
              .name("service_" + i + "_request_duration_seconds")
              .help("Request latency of service " + i + ".")
              .labelNames("method", "path");
      b = withNative ? b : b.classicOnly();
      io.prometheus.metrics.core.metrics.Histogram hist = b.withoutExemplars().register(r);
      for (int j = 0; j < 5; j++) {
        for (int k = 0; k < 200; k++) {
          hist.labelValues("GET", "/api/v1/items/" + j).observe(random.nextDouble() * 2);
        }
      }
    }
    return r;
  }

  static byte[] write(MetricSnapshots s, boolean protobuf) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (protobuf) {
      new PrometheusProtobufWriter().write(out, s);
    } else {
      PrometheusTextFormatWriter.create().write(out, s);
    }
    return out.toByteArray();
  }

  @Benchmark
  public long text() throws ParseException {
    return ParseBenchmark.fullParse(textParser, text);
  }

  @Benchmark
  public long protobuf() throws ParseException {
    return ParseBenchmark.fullParse(protoParser, proto);
  }

  @Benchmark
  public long protobufNative() throws ParseException {
    nativeParser.reset(protoNative, 0, protoNative.length);
    long acc = 0;
    for (Entry e = nativeParser.next(); e != Entry.EOF; e = nativeParser.next()) {
      if (e == Entry.SERIES) {
        acc += nativeParser.seriesHash() + Double.doubleToRawLongBits(nativeParser.value());
      } else if (e == Entry.HISTOGRAM) {
        acc += nativeParser.seriesHash();
        acc += nativeParser.histogram(h, fh) ? h.count() : (long) fh.count();
      }
    }
    return acc;
  }

  /** The same page through client_java's generated classes, down to series bytes and hash. */
  @Benchmark
  public long protobufGeneratedClasses() throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(proto);
    long acc = 0;
    Metrics.MetricFamily mf;
    while ((mf = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
      byte[] name = mf.getNameBytes().toByteArray();
      for (Metrics.Metric m : mf.getMetricList()) {
        Metrics.Histogram hist = m.getHistogram();
        acc += series(name, "_count", m, null) + hist.getSampleCount();
        acc += series(name, "_sum", m, null) + Double.doubleToRawLongBits(hist.getSampleSum());
        for (Metrics.Bucket b : hist.getBucketList()) {
          acc += series(name, "_bucket", m, FloatFormat.openMetrics(b.getUpperBound()));
          acc += b.getCumulativeCount();
        }
      }
    }
    return acc;
  }

  private long series(byte[] name, String suffix, Metrics.Metric m, String le) {
    int n = 0;
    n = put(n, name, name.length);
    byte[] sfx = suffix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    n = put(n, sfx, sfx.length);
    for (Metrics.LabelPair l : m.getLabelList()) {
      n = put(n, new byte[] {(byte) 0xff}, 1);
      byte[] k = l.getNameBytes().toByteArray();
      n = put(n, k, k.length);
      n = put(n, new byte[] {(byte) 0xff}, 1);
      byte[] v = l.getValueBytes().toByteArray();
      n = put(n, v, v.length);
    }
    if (le != null) {
      byte[] v = ("\u00ffle\u00ff" + le).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      n = put(n, v, v.length);
    }
    return SeriesHash.hash(scratch, 0, n);
  }

  private int put(int at, byte[] b, int len) {
    if (at + len > scratch.length) {
      scratch = Arrays.copyOf(scratch, (at + len) * 2);
    }
    System.arraycopy(b, 0, scratch, at, len);
    return at + len;
  }

  /** Prints each page's size and entry count. */
  public static void main(String[] args) throws Exception {
    ProtobufParseBenchmark b = new ProtobufParseBenchmark();
    b.load();
    System.out.printf(
        "text %d bytes %d samples%n", b.text.length, count(new PromTextParser(), b.text));
    System.out.printf(
        "protobuf %d bytes %d samples%n", b.proto.length, count(new ProtobufParser(), b.proto));
    System.out.printf(
        "protobufNative %d bytes %d samples%n",
        b.protoNative.length, count(b.nativeParser, b.protoNative));
  }

  private static int count(dev.quarry.textparse.Parser p, byte[] page) throws ParseException {
    p.reset(page, 0, page.length);
    int n = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES || e == Entry.HISTOGRAM) {
        n++;
      }
    }
    return n;
  }
}
