package dev.quarry.promql;

import java.util.Locale;

/** PromQL's aggregation operators; some take a parameter before the vector. */
public enum AggregateOp {
  SUM,
  AVG,
  COUNT,
  MIN,
  MAX,
  GROUP,
  STDDEV,
  STDVAR,
  TOPK,
  BOTTOMK,
  COUNT_VALUES,
  QUANTILE;

  public boolean hasParam() {
    return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE;
  }

  static AggregateOp of(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
