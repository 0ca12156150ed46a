package dev.quarry.promql.engine;

import dev.quarry.model.Labels;

/** One element of an instant vector: labels, timestamp (ms) and value. Immutable. */
public record Sample(Labels metric, long t, double v) {}
