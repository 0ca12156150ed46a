package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import java.util.List;

/** One selected series: its labels and its samples in the requested range, oldest first. */
public record SeriesData(Labels labels, List<Sample> samples) {}
