package dev.quarry.scrape;

import dev.quarry.textparse.Parser;

/** Picks the parser for a response's Content-Type, honouring the job's fallback protocol. */
@FunctionalInterface
public interface ParserSelector {
  /**
   * @throws ScrapeException when no parser applies; a missing or unknown Content-Type selects the
   *     fallback protocol or the text format, so the selectors Quarry has never throw
   */
  Parser parserFor(String contentType) throws ScrapeException;

  /** Hands back the parser of the last {@link #parserFor} once the body is appended. */
  default void release(Parser parser) {}
}
