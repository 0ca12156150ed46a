package dev.quarry.promql.engine;

/**
 * A query that failed while it ran, with Prometheus' wording and error class: {@code execution}
 * (HTTP 422) for evaluation errors and the sample limit, {@code timeout} (503) and {@code canceled}
 * (499) for queries stopped before their end.
 */
public final class EvalException extends RuntimeException {
  /** Prometheus' {@code errorType} of the failure. */
  public enum Kind {
    EXECUTION,
    TIMEOUT,
    CANCELED
  }

  private final Kind kind;

  public EvalException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  static EvalException exec(String message) {
    return new EvalException(Kind.EXECUTION, message);
  }

  public Kind kind() {
    return kind;
  }
}
