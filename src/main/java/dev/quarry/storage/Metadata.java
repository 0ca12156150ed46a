package dev.quarry.storage;

/**
 * The metadata of a metric family as exposed: type (Prometheus' lower-case names: counter, gauge,
 * histogram, gaugehistogram, summary, info, stateset, unknown), help and unit ("" when absent).
 */
public record Metadata(String type, String help, String unit) {}
