package dev.quarry.scrape;

/**
 * Why a scrape failed, as counted in the engine's metrics; the message the target shows is kept
 * beside it. Every failure appends an empty scrape (staleness markers) and reports {@code up} 0.
 */
public enum ScrapeFailure {
  /** The page could not be fetched: connection, timeout, HTTP status, unsupported format. */
  SCRAPE,
  /** The body exceeded {@code body_size_limit} or the most a scrape may buffer. */
  BODY_SIZE_LIMIT,
  /** The pool has more targets than {@code target_limit}. */
  TARGET_LIMIT,
  /** The page did not parse. */
  PARSE,
  /** More samples than {@code sample_limit} after metric relabelling. */
  SAMPLE_LIMIT,
  /** A native histogram kept more than {@code native_histogram_bucket_limit} buckets. */
  BUCKET_LIMIT,
  /** A series exceeded {@code label_limit} or a label length limit. */
  LABEL_LIMIT,
  /** Appending failed unexpectedly (a bug or the storage's I/O). */
  APPEND,
  /** The storage failed to commit the scrape. */
  COMMIT
}
