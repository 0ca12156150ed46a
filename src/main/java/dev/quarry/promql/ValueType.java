package dev.quarry.promql;

/** The type of a PromQL expression's value, named as Prometheus names them in errors. */
public enum ValueType {
  NONE("none", "none"),
  SCALAR("scalar", "scalar"),
  VECTOR("vector", "instant vector"),
  MATRIX("matrix", "range vector"),
  STRING("string", "string");

  private final String name;
  private final String documented;

  ValueType(String name, String documented) {
    this.name = name;
    this.documented = documented;
  }

  /** The API's {@code resultType}: scalar, vector, matrix or string. */
  public String apiName() {
    return name;
  }

  /** The name in type errors: {@code instant vector}, {@code range vector}, … */
  public String documented() {
    return documented;
  }
}
