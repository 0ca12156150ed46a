package dev.quarry.scrape;

/**
 * Makes the {@link Scraper} of each target of one job; built from the job's config (its HTTP client
 * lives here) and closed when the pool is stopped or reloaded. The pool's seam for tests.
 */
public interface ScraperFactory {
  Scraper scraperFor(Target target);

  /** Releases the job's HTTP client. */
  void close();
}
