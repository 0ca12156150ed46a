package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates PromQL expressions on two Prometheus-compatible APIs (the reference and the one under
 * test) and compares the answers series by series: the same result type, the same label sets, the
 * same timestamps, values equal within a relative tolerance of 1e-6 (NaN equals NaN, ±Inf equal
 * only themselves). An error on both sides agrees when the error types match.
 */
public final class PromqlDiff {
  public static final double TOLERANCE = 1e-6;

  private PromqlDiff() {}

  /** One comparison: what was asked, whether the answers agree, and if not, how they differ. */
  public record Outcome(String expression, String kind, boolean agree, String detail) {
    @Override
    public String toString() {
      return (agree ? "agree    " : "DIFFER   ") + kind + " " + expression + ": " + detail;
    }
  }

  /** The expressions of a list file: one a line; blank lines and {@code #} comments skipped. */
  public static List<String> expressions(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        out.add(s);
      }
    }
    return out;
  }

  /** An instant query at {@code timeMillis} on both. */
  public static Outcome instant(
      PromQueries.Api want, PromQueries.Api got, String expr, long timeMillis) throws Exception {
    String q = "/api/v1/query?query=" + PromQueries.enc(expr) + "&time=" + seconds(timeMillis);
    return outcome(expr, "instant", want.get(q), got.get(q));
  }

  /** A range query over {@code [start, end]} with {@code step} on both. */
  public static Outcome range(
      PromQueries.Api want,
      PromQueries.Api got,
      String expr,
      long startMillis,
      long endMillis,
      long stepMillis)
      throws Exception {
    String q =
        "/api/v1/query_range?query="
            + PromQueries.enc(expr)
            + "&start="
            + seconds(startMillis)
            + "&end="
            + seconds(endMillis)
            + "&step="
            + seconds(stepMillis);
    return outcome(expr, "range", want.get(q), got.get(q));
  }

  private static Outcome outcome(String expr, String kind, JsonNode want, JsonNode got) {
    String diff = compare(want, got);
    return new Outcome(expr, kind, diff == null, diff == null ? shape(want) : diff);
  }

  /** What an agreed answer held: an error, a scalar or how many series and points. */
  static String shape(JsonNode answer) {
    if (!answer.path("status").asText().equals("success")) {
      return "both " + answer.path("errorType").asText() + ": " + answer.path("error").asText();
    }
    JsonNode r = answer.path("data").path("result");
    if (!r.isArray()) {
      return answer.path("data").path("resultType").asText();
    }
    int points = 0;
    for (JsonNode s : r) {
      points += s.has("values") ? s.path("values").size() : 1;
    }
    return r.size() + " series, " + points + " points";
  }

  /** Null when the two API answers agree, else the first difference found. */
  public static String compare(JsonNode want, JsonNode got) {
    String ws = want.path("status").asText();
    String gs = got.path("status").asText();
    if (!ws.equals(gs)) {
      return "status "
          + gs
          + " ("
          + got.path("error").asText()
          + "), want "
          + ws
          + " ("
          + want.path("error").asText()
          + ")";
    }
    if (ws.equals("error")) {
      return want.path("errorType").equals(got.path("errorType"))
          ? null
          : "error type " + got.path("errorType") + ", want " + want.path("errorType");
    }
    JsonNode wd = want.path("data");
    JsonNode gd = got.path("data");
    String wt = wd.path("resultType").asText();
    if (!wt.equals(gd.path("resultType").asText())) {
      return "result type " + gd.path("resultType").asText() + ", want " + wt;
    }
    if (wt.equals("string")) {
      return wd.path("result").equals(gd.path("result"))
          ? null
          : "string " + gd.path("result") + ", want " + wd.path("result");
    }
    if (wt.equals("scalar")) {
      return point(wd.path("result"), gd.path("result"), "");
    }
    Map<String, JsonNode> ws2 = bySeries(wd.path("result"));
    Map<String, JsonNode> gs2 = bySeries(gd.path("result"));
    if (!ws2.keySet().equals(gs2.keySet())) {
      List<String> missing = new ArrayList<>(ws2.keySet());
      missing.removeAll(gs2.keySet());
      List<String> extra = new ArrayList<>(gs2.keySet());
      extra.removeAll(ws2.keySet());
      return "series differ: "
          + missing.size()
          + " missing "
          + head(missing)
          + ", "
          + extra.size()
          + " extra "
          + head(extra);
    }
    for (Map.Entry<String, JsonNode> e : ws2.entrySet()) {
      JsonNode w = e.getValue();
      JsonNode g = gs2.get(e.getKey());
      String d;
      if (wt.equals("vector")) {
        d = point(w.path("value"), g.path("value"), e.getKey());
      } else {
        d = points(w.path("values"), g.path("values"), e.getKey());
      }
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private static String points(JsonNode want, JsonNode got, String series) {
    if (want.size() != got.size()) {
      return series
          + ": "
          + got.size()
          + " points, want "
          + want.size()
          + " (got "
          + got
          + ", want "
          + want
          + ")";
    }
    for (int i = 0; i < want.size(); i++) {
      String d = point(want.get(i), got.get(i), series);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private static String point(JsonNode want, JsonNode got, String series) {
    if (want.get(0).asDouble() != got.get(0).asDouble()) {
      return series + ": timestamp " + got.get(0) + ", want " + want.get(0);
    }
    if (!same(value(want.get(1).asText()), value(got.get(1).asText()))) {
      return series + " at " + want.get(0) + ": value " + got.get(1) + ", want " + want.get(1);
    }
    return null;
  }

  /** Equal within the relative tolerance; NaN equals NaN. */
  public static boolean same(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b);
    }
    if (Double.isInfinite(a) || Double.isInfinite(b) || a == b) {
      return a == b;
    }
    return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }

  static double value(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static Map<String, JsonNode> bySeries(JsonNode result) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (JsonNode s : result) {
      TreeMap<String, String> labels = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        labels.put(f.getKey(), f.getValue().asText());
      }
      out.put(labels.toString(), s);
    }
    return out;
  }

  private static List<String> head(List<String> l) {
    return l.subList(0, Math.min(3, l.size()));
  }

  static String seconds(long millis) {
    return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
  }
}
