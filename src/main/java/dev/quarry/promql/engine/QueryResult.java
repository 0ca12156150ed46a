package dev.quarry.promql.engine;

import java.util.List;

/** The value of a query, as Prometheus' API reports it: scalar, string, vector or matrix. */
public sealed interface QueryResult {
  /** A scalar at the evaluation time. */
  record Scalar(long t, double v) implements QueryResult {}

  /** A string at the evaluation time. */
  record Str(long t, String v) implements QueryResult {}

  /** An instant vector, in the order the expression produced it. */
  record Vector(List<Sample> samples) implements QueryResult {}

  /** A range vector or a range query's result; a range query's is sorted by labels. */
  record Matrix(List<Series> series) implements QueryResult {}
}
