package dev.quarry.storage;

/**
 * Where scraped samples go. Each scrape takes one {@link Appender}, appends to it and commits or
 * rolls back. Implementations must be thread-safe: many scrape loops take appenders at once.
 */
public interface Appendable {
  Appender appender();
}
