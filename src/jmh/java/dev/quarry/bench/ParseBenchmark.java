package dev.quarry.bench;

import dev.quarry.model.Labels;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.OpenMetricsParser;
import dev.quarry.textparse.ParseException;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.PromTextParser;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parser throughput over real pages. A full parse reads, for every series, the raw series view, its
 * hash, the value and the timestamp — what a steady-state scrape (cache hits) does. Label decoding
 * ({@code labels(Builder)}) is what a cache miss adds. One op = one page.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {
  byte[] farmText;
  byte[] nodeText;
  byte[] farmOm;
  byte[] nodeOm;
  final PromTextParser text = new PromTextParser();
  final OpenMetricsParser om = new OpenMetricsParser();
  final Labels.Builder builder = Labels.builder();

  @Setup
  public void load() throws IOException {
    farmText = Fixtures.text("farm_payload.prom");
    nodeText = Fixtures.text("node_exporter_1.5.0.prom");
    farmOm = Fixtures.openMetrics(farmText);
    nodeOm = Fixtures.openMetrics(nodeText);
  }

  static long fullParse(Parser p, byte[] page) throws ParseException {
    p.reset(page, 0, page.length);
    long acc = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        acc += p.seriesOffset() + p.seriesLength() + p.seriesHash();
        acc += Double.doubleToRawLongBits(p.value());
        if (p.hasTimestamp()) {
          acc += p.timestamp();
        }
      }
    }
    return acc;
  }

  long decodeAll(Parser p, byte[] page) throws ParseException {
    p.reset(page, 0, page.length);
    long acc = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        p.labels(builder);
        acc += builder.size();
      }
    }
    return acc;
  }

  @Benchmark
  public long textFarm() throws ParseException {
    return fullParse(text, farmText);
  }

  @Benchmark
  public long textNodeExporter() throws ParseException {
    return fullParse(text, nodeText);
  }

  @Benchmark
  public long openMetricsFarm() throws ParseException {
    return fullParse(om, farmOm);
  }

  @Benchmark
  public long openMetricsNodeExporter() throws ParseException {
    return fullParse(om, nodeOm);
  }

  @Benchmark
  public long textFarmDecodeLabels() throws ParseException {
    return decodeAll(text, farmText);
  }
}
