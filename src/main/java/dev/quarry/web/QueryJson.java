package dev.quarry.web;

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
        m.put("value", List.of(QueryResource.seconds(s.t()), QueryResource.formatValue(s.v())));
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
        for (int i = 0; i < s.size(); i++) {
          values.add(List.of(QueryResource.seconds(s.t(i)), QueryResource.formatValue(s.v(i))));
        }
        m.put("values", values);
        out.add(m);
      }
      data.put("result", out);
    }
    return data;
  }
}
