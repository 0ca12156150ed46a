package dev.quarry.scrape;

import dev.quarry.textparse.Parser;

/** Picks the parser for a response's Content-Type, honouring the job's fallback protocol. */
@FunctionalInterface
public interface ParserSelector {
  /**
   * @throws ScrapeException when the body is in a format Quarry cannot parse (protobuf); a missing
   *     or unknown Content-Type selects the fallback protocol or the text format
   */
  Parser parserFor(String contentType) throws ScrapeException;

  /** Hands back the parser of the last {@link #parserFor} once the body is appended. */
  default void release(Parser parser) {}
}
