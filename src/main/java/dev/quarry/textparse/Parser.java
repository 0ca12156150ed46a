package dev.quarry.textparse;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;

/**
 * An iterator over an exposition body held in a byte array. Each {@link #next()} stops on one
 * entry; the accessors then describe that entry.
 *
 * <p><b>Views are valid until the next call to {@code next()}</b>: {@link #seriesOffset()} and
 * {@link #seriesLength()} index into {@link #buffer()} and describe the metric name and label block
 * exactly as written, which is the scrape cache's key. Nothing is decoded unless asked: labels are
 * built only by {@link #labels(Labels.Builder)} or {@link #labels()}, so a cache hit costs no
 * allocation. The buffer is never modified and must not change while it is parsed.
 *
 * <p>A parser is owned by one thread at a time and can be reused for the next body through {@link
 * #reset(byte[], int, int)}, keeping its scratch space.
 */
public interface Parser {

  /** Starts over on {@code buf[off, off + len)}. */
  void reset(byte[] buf, int off, int len);

  /**
   * Advances to the next entry; {@link Entry#EOF} at the end of the body (and on every later call).
   *
   * @throws ParseException when the body is malformed; the message names line, byte and excerpt
   */
  Entry next() throws ParseException;

  /** The body's buffer, for the views below. */
  byte[] buffer();

  /** Start of the raw series (metric name and label block) in {@link #buffer()}. SERIES only. */
  int seriesOffset();

  /** Length of the raw series in {@link #buffer()}. SERIES only. */
  int seriesLength();

  /** {@link SeriesHash} of the raw series bytes, computed without allocating. SERIES only. */
  long seriesHash();

  /** The sample value; NaN is Prometheus' canonical NaN. SERIES only. */
  double value();

  /** Whether the sample carried a timestamp. SERIES only. */
  boolean hasTimestamp();

  /** The sample's timestamp in milliseconds since the epoch. SERIES with a timestamp only. */
  long timestamp();

  /**
   * The created timestamp of the sample's counter, summary or histogram in milliseconds since the
   * epoch, or 0 when it has none, as Prometheus 3's {@code CreatedTimestamp()}: only the protobuf
   * format carries it here (OpenMetrics {@code _created} lines stay series). SERIES and HISTOGRAM.
   */
  default long createdTimestamp() {
    return 0;
  }

  /**
   * Fills the native histogram of a HISTOGRAM entry into {@code h} when its counts are integers and
   * returns true, or into {@code fh} when they are floats and returns false. Both holders are the
   * caller's, reused from sample to sample. The text formats have no HISTOGRAM entries.
   */
  default boolean histogram(Histogram h, FloatHistogram fh) {
    throw new IllegalStateException("not a native histogram entry");
  }

  /**
   * Fills {@code into} with the sample's exemplar and returns true, or returns false when the
   * sample has none (always false for the text format).
   */
  boolean exemplar(Exemplar into);

  /**
   * Replaces the contents of {@code into} with the sample's labels: {@code __name__} and the label
   * block, values unescaped, empty values dropped; {@code le} and {@code quantile} values are kept
   * as written. SERIES only.
   */
  void labels(Labels.Builder into);

  /** The sample's labels as an immutable set; see {@link #labels(Labels.Builder)}. SERIES only. */
  Labels labels();

  /** Start of the family name in {@link #buffer()}. HELP, TYPE and UNIT only. */
  int familyOffset();

  /** Length of the family name. HELP, TYPE and UNIT only. */
  int familyLength();

  /** The family name as a String (allocates). HELP, TYPE and UNIT only. */
  String familyName();

  /** The unescaped help text (allocates). HELP only. */
  String help();

  /**
   * A 64-bit hash of the help text as written (before unescaping), to tell cheaply whether it
   * changed since the last scrape; HELP only. Allocates nothing.
   */
  long helpHash();

  /** The family type. TYPE only. */
  MetricType type();

  /** The unit, possibly empty (allocates). UNIT only. */
  String unit();

  /** The comment line as written, from {@code #} to the end of its line. COMMENT only. */
  String comment();

  /**
   * The rules of the format's specification that the body broke so far and Prometheus 2.42 does not
   * enforce (the scrape succeeds regardless); cleared by {@link #reset(byte[], int, int)}. The text
   * format has none: its parser checks exactly what Prometheus checks.
   */
  default ParseWarnings warnings() {
    return ParseWarnings.NONE;
  }

  /**
   * A hint for the next {@link #next()}: the raw series (as {@link #seriesOffset()} and {@link
   * #seriesLength()} describe it) that the next sample line is expected to start with, or null. A
   * scrape loop passes the series that followed the last one in the previous scrape of the same
   * target. When the line starts with exactly these bytes, the parser may skip scanning them (their
   * earlier parse found them valid) and {@link #matchedExpected()} then says so; everything else
   * about the entry is as without the hint. Parsers are free to ignore it.
   */
  default void expect(byte[] series) {}

  /** Whether the current SERIES entry is the one given to {@link #expect(byte[])}. */
  default boolean matchedExpected() {
    return false;
  }
}
