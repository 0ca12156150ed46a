package dev.quarry.storage;

import dev.quarry.model.Labels;

/** One selected series: its labels and a fresh iterator over its samples on each call. */
public interface Series {
  Labels labels();

  SampleIterator iterator();
}
