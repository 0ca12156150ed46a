package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.Expr;
import dev.quarry.promql.Expr.Call;
import dev.quarry.storage.Matcher;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * The functions over instant vectors and scalars (Prometheus 2.42's functions.go): math and trig
 * per element (dropping the metric name), clamp, round, time and date parts, absent, scalar,
 * vector, sort, histogram_quantile. The label functions are in {@link LabelFunctions}.
 */
final class InstantFunctions {
  private InstantFunctions() {}

  static Evaluator.StepFn of(Call c) {
    String name = c.func().name();
    DoubleUnaryOperator math = math(name);
    if (math != null) {
      return (a, ts) -> map(a.get(0), ts, math);
    }
    return switch (name) {
      case "time" -> (a, ts) -> List.of(new Sample(Labels.EMPTY, ts, ts / 1000.0));
      case "pi" -> (a, ts) -> List.of(new Sample(Labels.EMPTY, ts, Math.PI));
      case "vector" -> (a, ts) -> List.of(new Sample(Labels.EMPTY, ts, a.get(0).get(0).v()));
      case "scalar" ->
          (a, ts) ->
              List.of(
                  new Sample(
                      Labels.EMPTY, ts, a.get(0).size() == 1 ? a.get(0).get(0).v() : Double.NaN));
      case "timestamp" -> (a, ts) -> map(a.get(0), ts, v -> ts / 1000.0);
      case "round" ->
          (a, ts) -> {
            double to = a.size() > 1 ? a.get(1).get(0).v() : 1;
            double inv = 1.0 / to;
            return map(a.get(0), ts, v -> Math.floor(v * inv + 0.5) / inv);
          };
      case "clamp" ->
          (a, ts) -> {
            double min = a.get(1).get(0).v();
            double max = a.get(2).get(0).v();
            if (max < min) {
              return List.of();
            }
            return map(a.get(0), ts, v -> Math.max(min, Math.min(max, v)));
          };
      case "clamp_max" ->
          (a, ts) -> {
            double max = a.get(1).get(0).v();
            return map(a.get(0), ts, v -> Math.min(max, v));
          };
      case "clamp_min" ->
          (a, ts) -> {
            double min = a.get(1).get(0).v();
            return map(a.get(0), ts, v -> Math.max(min, v));
          };
      case "absent" -> {
        Labels l = absentLabels(c.args().get(0));
        yield (a, ts) -> a.get(0).isEmpty() ? List.of(new Sample(l, ts, 1)) : List.of();
      }
      case "sort" -> (a, ts) -> sorted(a.get(0), false);
      case "sort_desc" -> (a, ts) -> sorted(a.get(0), true);
      case "histogram_quantile" ->
          (a, ts) -> Quantiles.histogramQuantile(a.get(0).get(0).v(), a.get(1), ts);
      case "histogram_count" -> (a, ts) -> NativeHistograms.countOrSum(a.get(0), ts, true);
      case "histogram_sum" -> (a, ts) -> NativeHistograms.countOrSum(a.get(0), ts, false);
      case "histogram_fraction" ->
          (a, ts) ->
              NativeHistograms.fraction(a.get(0).get(0).v(), a.get(1).get(0).v(), a.get(2), ts);
      case "label_replace", "label_join" -> LabelFunctions.of(c);
      case "days_in_month",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "hour",
          "minute",
          "month",
          "year" -> {
        DoubleUnaryOperator f = datePart(name);
        yield (a, ts) ->
            a.isEmpty()
                ? List.of(new Sample(Labels.EMPTY, ts, f.applyAsDouble(ts / 1000.0)))
                : map(a.get(0), ts, f);
      }
      default -> throw EvalException.exec("function " + name + " is not implemented");
    };
  }

  private static List<Sample> map(List<Sample> in, long ts, DoubleUnaryOperator f) {
    List<Sample> out = new ArrayList<>(in.size());
    for (Sample s : in) {
      out.add(new Sample(LabelOps.dropName(s.metric()), ts, f.applyAsDouble(s.v())));
    }
    return out;
  }

  private static List<Sample> sorted(List<Sample> in, boolean desc) {
    List<Sample> out = new ArrayList<>(in);
    out.sort(
        (x, y) -> {
          if (Double.isNaN(x.v()) || Double.isNaN(y.v())) {
            return Double.isNaN(x.v()) == Double.isNaN(y.v()) ? 0 : Double.isNaN(x.v()) ? -1 : 1;
          }
          return desc ? Double.compare(y.v(), x.v()) : Double.compare(x.v(), y.v());
        });
    return out;
  }

  private static DoubleUnaryOperator math(String name) {
    return switch (name) {
      case "abs" -> Math::abs;
      case "ceil" -> Math::ceil;
      case "floor" -> Math::floor;
      case "exp" -> Math::exp;
      case "sqrt" -> Math::sqrt;
      case "ln" -> Math::log;
      case "log2" -> GoMath::log2;
      case "log10" -> GoMath::log10;
      case "sgn" -> v -> v > 0 ? 1 : v < 0 ? -1 : v;
      case "sin" -> Math::sin;
      case "cos" -> Math::cos;
      case "tan" -> Math::tan;
      case "asin" -> Math::asin;
      case "acos" -> Math::acos;
      case "atan" -> Math::atan;
      case "sinh" -> Math::sinh;
      case "cosh" -> Math::cosh;
      case "tanh" -> Math::tanh;
      case "asinh" -> GoMath::asinh;
      case "acosh" -> GoMath::acosh;
      case "atanh" -> GoMath::atanh;
      case "deg" -> v -> v * 180 / Math.PI;
      case "rad" -> v -> v * Math.PI / 180;
      default -> null;
    };
  }

  private static DoubleUnaryOperator datePart(String name) {
    return v -> {
      ZonedDateTime t = Instant.ofEpochSecond((long) v).atZone(ZoneOffset.UTC);
      return switch (name) {
        case "days_in_month" -> t.toLocalDate().lengthOfMonth();
        case "day_of_month" -> t.getDayOfMonth();
        case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
        case "day_of_year" -> t.getDayOfYear();
        case "hour" -> t.getHour();
        case "minute" -> t.getMinute();
        case "month" -> t.getMonthValue();
        default -> t.getYear();
      };
    };
  }

  /** absent()'s labels: the selector's equality matchers, a name matched twice left out. */
  static Labels absentLabels(Expr arg) {
    List<Matcher> ms;
    if (arg instanceof Expr.VectorSelector vs) {
      ms = vs.matchers();
    } else if (arg instanceof Expr.MatrixSelector m) {
      ms = m.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> has = new HashSet<>();
    for (Matcher m : ms) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == Matcher.Type.EQ && has.add(m.name())) {
        b.set(m.name(), m.value());
      } else {
        b.del(m.name());
      }
    }
    return b.build();
  }
}
