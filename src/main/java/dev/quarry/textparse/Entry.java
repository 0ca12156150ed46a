package dev.quarry.textparse;

/** The kind of line a {@link Parser} stopped on. {@link #EOF} ends the body; it is never null. */
public enum Entry {
  /** A {@code # HELP} line: family name and unescaped help text are available. */
  HELP,
  /** A {@code # TYPE} line: family name and {@link MetricType} are available. */
  TYPE,
  /** An OpenMetrics {@code # UNIT} line: family name and unit are available. */
  UNIT,
  /** A free comment (text format only; OpenMetrics has none). */
  COMMENT,
  /** A sample: series bytes, value, optional timestamp and exemplar are available. */
  SERIES,
  /**
   * A native histogram sample (protobuf only, with native histograms on): series bytes, timestamp
   * and {@link Parser#histogram} are available; {@link Parser#value()} is not.
   */
  HISTOGRAM,
  /** The end of the body. Further calls to {@code next()} keep returning it. */
  EOF
}
