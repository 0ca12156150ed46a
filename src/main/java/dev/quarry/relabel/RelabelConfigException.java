package dev.quarry.relabel;

/**
 * A relabel rule that Prometheus would refuse to load. {@link #field()} is the YAML key at fault
 * (for example {@code regex} or {@code target_label}), or null when the rule as a whole is wrong,
 * so the config loader can point at the exact line.
 */
public final class RelabelConfigException extends IllegalArgumentException {
  private final String field;

  public RelabelConfigException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
