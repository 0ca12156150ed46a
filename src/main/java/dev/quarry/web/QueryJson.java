package dev.quarry.web;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.HistogramBuckets;
import dev.quarry.promql.engine.QueryResult;
import dev.quarry.promql.engine.Sample;
import dev.quarry.promql.engine.Series;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A query's value as the {@code data} of Prometheus' query API: resultType and result. */
final class QueryJson {
  private QueryJson() {}

  static Map<String, Object> result(QueryResult r) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (r instanceof QueryResult.Scalar s) {
      data.put("resultType", "scalar");
      data.put("result", List.of(QueryResource.seconds(s.t()), QueryResource.formatValue(s.v())));
    } else if (r instanceof QueryResult.Str s) {
      data.put("resultType", "string");
      data.put("result", List.of(QueryResource.seconds(s.t()), s.v()));
    } else if (r instanceof QueryResult.Vector v) {
      data.put("resultType", "vector");
      List<Object> out = new ArrayList<>(v.samples().size());
      for (Sample s : v.samples()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", s.metric().toMap());
        if (s.h() != null) {
          m.put("histogram", List.of(QueryResource.seconds(s.t()), histogram(s.h())));
        } else {
          m.put("value", List.of(QueryResource.seconds(s.t()), QueryResource.formatValue(s.v())));
        }
        out.add(m);
      }
      data.put("result", out);
    } else {
      data.put("resultType", "matrix");
      List<Series> series = ((QueryResult.Matrix) r).series();
      List<Object> out = new ArrayList<>(series.size());
      for (Series s : series) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", s.metric().toMap());
        List<Object> values = new ArrayList<>(s.size());
        List<Object> histograms = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
          if (s.h(i) != null) {
            histograms.add(List.of(QueryResource.seconds(s.t(i)), histogram(s.h(i))));
          } else {
            values.add(List.of(QueryResource.seconds(s.t(i)), QueryResource.formatValue(s.v(i))));
          }
        }
        if (!values.isEmpty()) {
          m.put("values", values);
        }
        if (!histograms.isEmpty()) {
          m.put("histograms", histograms);
        }
        out.add(m);
      }
      data.put("result", out);
    }
    return data;
  }

  /**
   * A native histogram as 2.42's API writes it: count, sum and, when some bucket has a count other
   * than 0, the buckets from the lowest up, each {@code [boundaries, lower, upper, count]} with
   * boundaries 0 for {@code (lower, upper]}, 1 for {@code [lower, upper)}, 2 open and 3 closed.
   */
  static Map<String, Object> histogram(FloatHistogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", QueryResource.formatValue(h.count()));
    m.put("sum", QueryResource.formatValue(h.sum()));
    List<Object> buckets = new ArrayList<>();
    for (HistogramBuckets.Bucket b : h.allBuckets()) {
      if (b.count() == 0) {
        continue;
      }
      int rule = b.lowerInclusive() ? (b.upperInclusive() ? 3 : 1) : (b.upperInclusive() ? 0 : 2);
      buckets.add(
          List.of(
              rule,
              QueryResource.formatValue(b.lower()),
              QueryResource.formatValue(b.upper()),
              QueryResource.formatValue(b.count())));
    }
    if (!buckets.isEmpty()) {
      m.put("buckets", buckets);
    }
    return m;
  }
}
