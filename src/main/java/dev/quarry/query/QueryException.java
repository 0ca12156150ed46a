package dev.quarry.query;

/** A bad query API request (parameters, PromQL syntax): Prometheus' {@code bad_data} error. */
public final class QueryException extends RuntimeException {
  public QueryException(String message) {
    super(message);
  }
}
