package dev.quarry.promql;

import static dev.quarry.promql.ValueType.MATRIX;
import static dev.quarry.promql.ValueType.SCALAR;
import static dev.quarry.promql.ValueType.STRING;
import static dev.quarry.promql.ValueType.VECTOR;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PromQL function's signature as Prometheus 2.42 declares it: argument types, how many of the
 * last argument may repeat ({@code variadic}: 0 none, n up to n more or fewer, -1 any) and the
 * return type. Immutable; {@link #lookup} knows every function of 2.42, the native-histogram ones
 * included.
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returns) {
  private static final Map<String, Function> ALL = new HashMap<>();

  private static void def(String name, int variadic, ValueType returns, ValueType... args) {
    ALL.put(name, new Function(name, List.of(args), variadic, returns));
  }

  static {
    for (String f :
        List.of(
            "abs",
            "ceil",
            "exp",
            "floor",
            "ln",
            "log10",
            "log2",
            "sqrt",
            "sgn",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "cos",
            "cosh",
            "sin",
            "sinh",
            "tan",
            "tanh",
            "deg",
            "rad",
            "absent",
            "sort",
            "sort_desc",
            "timestamp")) {
      def(f, 0, VECTOR, VECTOR);
    }
    for (String f :
        List.of(
            "absent_over_time",
            "avg_over_time",
            "count_over_time",
            "last_over_time",
            "max_over_time",
            "min_over_time",
            "present_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time",
            "changes",
            "delta",
            "deriv",
            "idelta",
            "increase",
            "irate",
            "rate",
            "resets")) {
      def(f, 0, VECTOR, MATRIX);
    }
    for (String f :
        List.of(
            "days_in_month",
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "hour",
            "minute",
            "month",
            "year")) {
      def(f, 1, VECTOR, VECTOR);
    }
    def("quantile_over_time", 0, VECTOR, SCALAR, MATRIX);
    def("holt_winters", 0, VECTOR, MATRIX, SCALAR, SCALAR);
    def("predict_linear", 0, VECTOR, MATRIX, SCALAR);
    def("clamp", 0, VECTOR, VECTOR, SCALAR, SCALAR);
    def("clamp_max", 0, VECTOR, VECTOR, SCALAR);
    def("clamp_min", 0, VECTOR, VECTOR, SCALAR);
    def("histogram_quantile", 0, VECTOR, SCALAR, VECTOR);
    def("histogram_count", 0, VECTOR, VECTOR);
    def("histogram_sum", 0, VECTOR, VECTOR);
    def("histogram_fraction", 0, VECTOR, SCALAR, SCALAR, VECTOR);
    def("label_join", -1, VECTOR, VECTOR, STRING, STRING, STRING);
    def("label_replace", 0, VECTOR, VECTOR, STRING, STRING, STRING, STRING);
    def("pi", 0, SCALAR);
    def("time", 0, SCALAR);
    def("round", 1, VECTOR, VECTOR, SCALAR);
    def("scalar", 0, SCALAR, VECTOR);
    def("vector", 0, VECTOR, SCALAR);
  }

  /** The function of that name, or null. */
  public static Function lookup(String name) {
    return ALL.get(name);
  }
}
