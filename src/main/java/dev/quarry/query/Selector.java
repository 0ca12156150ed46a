package dev.quarry.query;

import dev.quarry.storage.Matcher;
import java.util.List;

/**
 * A parsed vector selector.
 *
 * @param matchers the label matchers, the metric name as {@code __name__="…"}
 * @param rangeMillis the range of a range selector ({@code [5m]}), 0 for an instant selector
 */
public record Selector(List<Matcher> matchers, long rangeMillis) {}
