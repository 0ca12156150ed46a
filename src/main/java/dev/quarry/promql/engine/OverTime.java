package dev.quarry.promql.engine;

/** The {@code <aggregation>_over_time} functions over one window, as Prometheus 2.42. */
final class OverTime {
  private OverTime() {}

  static RangeFunctions.Fn of(String name) {
    return switch (name) {
      case "count_over_time" -> (w, p) -> w.n();
      case "present_over_time", "absent_over_time" -> (w, p) -> 1;
      case "last_over_time" -> (w, p) -> w.v(w.n() - 1);
      case "sum_over_time" ->
          (w, p) -> {
            double sum = 0;
            double[] c = {0};
            for (int i = 0; i < w.n(); i++) {
              sum = GoMath.kahanInc(w.v(i), sum, c);
            }
            return Double.isInfinite(sum) ? sum : sum + c[0];
          };
      case "avg_over_time" -> (w, p) -> avg(w);
      case "max_over_time" ->
          (w, p) -> {
            double max = w.v(0);
            for (int i = 0; i < w.n(); i++) {
              if (w.v(i) > max || Double.isNaN(max)) {
                max = w.v(i);
              }
            }
            return max;
          };
      case "min_over_time" ->
          (w, p) -> {
            double min = w.v(0);
            for (int i = 0; i < w.n(); i++) {
              if (w.v(i) < min || Double.isNaN(min)) {
                min = w.v(i);
              }
            }
            return min;
          };
      case "stddev_over_time" -> (w, p) -> Math.sqrt(variance(w));
      case "stdvar_over_time" -> (w, p) -> variance(w);
      case "quantile_over_time" ->
          (w, p) -> {
            double[] vs = new double[w.n()];
            for (int i = 0; i < vs.length; i++) {
              vs[i] = w.v(i);
            }
            return Quantiles.quantile(p[0], vs, vs.length);
          };
      default -> throw EvalException.exec("function " + name + " is not implemented");
    };
  }

  private static double avg(RangeFunctions.Window w) {
    double mean = 0;
    double count = 0;
    double[] c = {0};
    for (int i = 0; i < w.n(); i++) {
      double v = w.v(i);
      count++;
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      mean = GoMath.kahanInc(v / count - mean / count, mean, c);
    }
    return Double.isInfinite(mean) ? mean : mean + c[0];
  }

  private static double variance(RangeFunctions.Window w) {
    double count = 0;
    double mean = 0;
    double[] cMean = {0};
    double aux = 0;
    double[] cAux = {0};
    for (int i = 0; i < w.n(); i++) {
      double v = w.v(i);
      count++;
      double delta = v - (mean + cMean[0]);
      mean = GoMath.kahanInc(delta / count, mean, cMean);
      aux = GoMath.kahanInc(delta * (v - (mean + cMean[0])), aux, cAux);
    }
    return (aux + cAux[0]) / count;
  }
}
