package dev.quarry.config;

/** CDI event: a valid scrape configuration was loaded and is now in force. */
public record ConfigApplied(PrometheusConfig config) {}
