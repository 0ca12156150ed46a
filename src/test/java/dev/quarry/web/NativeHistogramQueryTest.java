package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.promql.PromQL;
import dev.quarry.promql.engine.Engine;
import dev.quarry.promql.engine.QueryResult;
import dev.quarry.storage.Appender;
import dev.quarry.storage.MemoryStorage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queries over native histograms answered as Prometheus 2.42 answered them, byte for byte: the
 * samples of promql/histograms/data.txt were pushed to a real Prometheus 2.42 by remote write and
 * its query API's bodies recorded in expected.txt (record.py in that folder does both); here the
 * same samples go into a MemoryStorage and each query's body from the engine and the API's JSON
 * encoding must be the same bytes.
 */
class NativeHistogramQueryTest {
  private static final String DIR = "/promql/histograms/";
  private static Engine engine;

  @BeforeAll
  static void load() throws IOException {
    MemoryStorage store = MemoryStorage.withNativeHistograms();
    for (String line : lines("data.txt")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ");
      long ts = Long.parseLong(f[0]);
      Labels l = labels(f[1]);
      Appender app = store.appender();
      if (f[2].equals("float")) {
        app.append(
            0, l, ts, f[3].equals("stale") ? StaleMarker.STALE_NAN : Double.parseDouble(f[3]));
      } else {
        FloatHistogram h =
            new FloatHistogram()
                .set(
                    Integer.parseInt(f[3]),
                    Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]),
                    Double.parseDouble(f[7]));
        side(h, f[8], true);
        side(h, f[9], false);
        app.appendHistogram(0, l, ts, null, h);
      }
      app.commit();
    }
    engine = new Engine(store, Engine.Settings.DEFAULTS);
  }

  private static Labels labels(String s) {
    Labels.Builder b = Labels.builder();
    for (String kv : s.substring(1, s.length() - 1).split(",")) {
      int eq = kv.indexOf("=\"");
      b.set(kv.substring(0, eq), kv.substring(eq + 2, kv.length() - 1));
    }
    return b.build();
  }

  private static void side(FloatHistogram h, String s, boolean positive) {
    if (s.equals("-")) {
      return;
    }
    for (String span : s.split(";")) {
      String[] p = span.split(":");
      String[] counts = p[1].split(",");
      (positive ? h.positiveSpans() : h.negativeSpans()).add(Integer.parseInt(p[0]), counts.length);
      for (String c : counts) {
        if (positive) {
          h.addPositiveCount(Double.parseDouble(c));
        } else {
          h.addNegativeCount(Double.parseDouble(c));
        }
      }
    }
  }

  private static List<String> lines(String name) throws IOException {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                NativeHistogramQueryTest.class.getResourceAsStream(DIR + name),
                StandardCharsets.UTF_8))) {
      return r.lines().toList();
    }
  }

  static Stream<String[]> cases() throws IOException {
    List<String> l = lines("expected.txt");
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i + 1 < l.size(); i += 2) {
      out.add(new String[] {l.get(i), l.get(i + 1)});
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersAsPrometheus242(String query, String expected) throws Exception {
    String[] f = query.split(" ", 2);
    QueryResult r;
    if (f[0].equals("instant")) {
      String[] p = f[1].split(" ", 2);
      r = engine.instant(p[1], Long.parseLong(p[0]) * 1000);
    } else {
      String[] p = f[1].split(" ", 4);
      r =
          engine.range(
              PromQL.parse(p[3]),
              Long.parseLong(p[0]) * 1000,
              Long.parseLong(p[1]) * 1000,
              Long.parseLong(p[2]) * 1000,
              new AtomicBoolean());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "success");
    body.put("data", QueryJson.result(r));
    assertEquals(expected, new ObjectMapper().writeValueAsString(body), query);
  }
}
