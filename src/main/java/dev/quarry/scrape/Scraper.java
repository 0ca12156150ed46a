package dev.quarry.scrape;

import io.vertx.core.Future;

/**
 * Fetches one target's page. The scrape loop's seam for tests. Must be called on the loop's Vert.x
 * context; the future completes on that context.
 */
public interface Scraper {
  /**
   * Fetches the page within {@code timeoutMillis}.
   *
   * @param sizeHint the size of the previous body, to pick a buffer
   * @return the body, or a failed future with a {@link ScrapeException}
   */
  Future<ScrapeResponse> scrape(long timeoutMillis, int sizeHint);
}
