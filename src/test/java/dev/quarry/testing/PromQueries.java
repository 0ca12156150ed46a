package dev.quarry.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** Queries of a Prometheus-compatible HTTP API (Prometheus, VictoriaMetrics, Quarry) in tests. */
public final class PromQueries {
  private PromQueries() {}

  public static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  public static void assertSameSeries(
      Set<Map<String, String>> expected, Set<Map<String, String>> actual, String where) {
    Set<Map<String, String>> missing = new java.util.HashSet<>(expected);
    missing.removeAll(actual);
    Set<Map<String, String>> extra = new java.util.HashSet<>(actual);
    extra.removeAll(expected);
    assertTrue(
        missing.isEmpty() && extra.isEmpty(),
        where
            + ": "
            + missing.size()
            + " series missing, e.g. "
            + missing.stream().limit(5).toList()
            + "; "
            + extra.size()
            + " extra, e.g. "
            + extra.stream().limit(5).toList());
  }

  public interface Api {
    JsonNode get(String pathAndQuery) throws Exception;
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  public static double metric(QuarryProcess q, String name) {
    try {
      return q.metricSum(name);
    } catch (Exception e) {
      return 0;
    }
  }

  public static int count(Api api, String query) {
    try {
      JsonNode r = api.get("/api/v1/query?query=" + enc(query));
      return r.path("data").path("result").size();
    } catch (Exception e) {
      return -1;
    }
  }

  public static int countAt(Api api, String query, long millis) throws Exception {
    JsonNode r = api.get("/api/v1/query?query=" + enc(query) + "&time=" + millis / 1000.0);
    return r.path("data").path("result").size();
  }

  public static double maxValue(Api api, String query) {
    try {
      JsonNode r = api.get("/api/v1/query?query=" + enc(query)).path("data").path("result");
      double max = Double.NEGATIVE_INFINITY;
      for (JsonNode s : r) {
        max = Math.max(max, Double.parseDouble(s.path("value").get(1).asText()));
      }
      return max;
    } catch (Exception e) {
      return Double.NEGATIVE_INFINITY;
    }
  }

  public static Set<Map<String, String>> series(Api api, String match) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JsonNode r =
        api.get("/api/v1/series?match[]=" + enc(match) + "&start=" + (now - 600) + "&end=" + now);
    Set<Map<String, String>> out = new java.util.HashSet<>();
    for (JsonNode s : r.path("data")) {
      Map<String, String> l = new TreeMap<>();
      s.fields().forEachRemaining(f -> l.put(f.getKey(), f.getValue().asText()));
      out.add(l);
    }
    return out;
  }

  public static Map<Map<String, String>, String> values(Api api, String query) throws Exception {
    JsonNode r = api.get("/api/v1/query?query=" + enc(query)).path("data").path("result");
    Map<Map<String, String>, String> out = new HashMap<>();
    for (JsonNode s : r) {
      Map<String, String> l = new TreeMap<>();
      s.path("metric").fields().forEachRemaining(f -> l.put(f.getKey(), f.getValue().asText()));
      out.put(l, s.path("value").get(1).asText());
    }
    return out;
  }

  public static void await(String what, Duration max, BooleanSupplier cond)
      throws InterruptedException {
    Await.until(what, max, cond);
  }
}
