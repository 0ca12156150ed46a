package dev.quarry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.OpenMetricsParser;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.PromTextParser;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns JMH's JSON result of {@link ParseBenchmark} into MB/s, samples/s, ns per series and bytes
 * allocated per sample; the last line is the text-format farm page's figures: {@code parse: <MB/s>
 * MB/s, <samples/s> samples/s, <bytes> B/sample allocated}.
 */
public final class ParseReport {
  private ParseReport() {}

  public static void main(String[] args) throws Exception {
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    byte[] farm = Fixtures.text("farm_payload.prom");
    byte[] node = Fixtures.text("node_exporter_1.5.0.prom");
    Map<String, byte[]> pages =
        Map.of(
            "textFarm", farm,
            "textNodeExporter", node,
            "openMetricsFarm", Fixtures.openMetrics(farm),
            "openMetricsNodeExporter", Fixtures.openMetrics(node),
            "textFarmDecodeLabels", farm);
    String last = null;
    System.out.printf(
        "%-26s %10s %14s %12s %14s%n",
        "benchmark", "MB/s", "samples/s", "ns/series", "B/sample alloc");
    for (JsonNode r : results) {
      String name = r.path("benchmark").asText().replaceAll(".*\\.", "");
      byte[] page = pages.get(name);
      if (page == null) {
        continue;
      }
      boolean om = name.startsWith("openMetrics");
      int samples = count(om ? new OpenMetricsParser() : new PromTextParser(), page);
      double opsPerSec = r.path("primaryMetric").path("score").asDouble();
      JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
      double allocPerSample = alloc.isMissingNode() ? Double.NaN : alloc.asDouble() / samples;
      double mbs = opsPerSec * page.length / 1e6;
      double sps = opsPerSec * samples;
      System.out.printf(
          "%-26s %10.1f %14.0f %12.1f %14.3f%n", name, mbs, sps, 1e9 / sps, allocPerSample);
      if (name.equals("textFarm")) {
        last =
            String.format(
                "parse: %.1f MB/s, %.0f samples/s, %.3f B/sample allocated",
                mbs, sps, allocPerSample);
      }
    }
    if (last == null) {
      throw new IllegalStateException("no textFarm result in " + args[0]);
    }
    System.out.println(last);
  }

  private static int count(Parser p, byte[] page) throws Exception {
    p.reset(page, 0, page.length);
    int n = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        n++;
      }
    }
    return n;
  }
}
