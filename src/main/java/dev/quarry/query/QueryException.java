package dev.quarry.query;

/** A query Quarry cannot evaluate: Prometheus' {@code bad_data} error with this message. */
public final class QueryException extends RuntimeException {
  public QueryException(String message) {
    super(message);
  }
}
