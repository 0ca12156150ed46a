package dev.quarry.storage;

import java.util.List;
import java.util.function.Consumer;

/**
 * The read side of a store, as the query engine and the web layer see it (Prometheus' {@code
 * storage.Querier}): series selected by label matchers and a time range, each with an iterator over
 * its samples, and the label names and values of the selected series. Time bounds are inclusive
 * Unix milliseconds. Implementations are thread-safe; each call sees the data present when it
 * starts.
 */
public interface Queryable {
  /**
   * The series matching every matcher that have at least one sample in {@code [mint, maxt]}, sorted
   * by labels. Their iterators yield only samples in {@code [mint, maxt]}, staleness markers
   * included; a series may be iterated more than once.
   */
  List<Series> select(long mint, long maxt, List<Matcher> matchers);

  /**
   * The series {@link #select} returns, in its order, handed to {@code fn} one at a time on the
   * calling thread. An implementation may create each series only when it hands it on, so a reader
   * that keeps none of them holds one at a time; {@code fn} must not call back into this store's
   * write side.
   */
  default void select(long mint, long maxt, List<Matcher> matchers, Consumer<Series> fn) {
    select(mint, maxt, matchers).forEach(fn);
  }

  /** Label names of the matching series (all series without matchers), sorted. */
  List<String> labelNames(long mint, long maxt, List<Matcher> matchers);

  /** Non-empty values of label {@code name} among the matching series, sorted. */
  List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers);
}
