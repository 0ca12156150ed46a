package dev.quarry.storage;

import dev.quarry.model.Labels;

/** An exemplar: a labelled example observation attached to a sample. */
public record Exemplar(Labels labels, double value, boolean hasTimestamp, long timestampMillis) {}
