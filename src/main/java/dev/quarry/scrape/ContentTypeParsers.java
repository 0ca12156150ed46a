package dev.quarry.scrape;

import dev.quarry.textparse.ExpositionFormat;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.ScrapeProtocol;
import dev.quarry.textparse.ScrapeProtocols;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One loop's parsers, one per exposition format, created on first use and reused (reset) for
 * every later body so their scratch space is kept. Picks by Content-Type with the job's
 * {@code fallback_scrape_protocol}. Used by one scrape at a time.
 */
final class ContentTypeParsers implements ParserSelector {
  private static final Logger LOG = Logger.getLogger(ContentTypeParsers.class);

  private final ScrapeProtocol fallback;
  private final String target;
  private final Map<ExpositionFormat, Parser> parsers = new EnumMap<>(ExpositionFormat.class);
  private String lastWarning;

  ContentTypeParsers(ScrapeProtocol fallback, String target) {
    this.fallback = fallback;
    this.target = target;
  }

  @Override
  public Parser parserFor(String contentType) throws ScrapeException {
    ScrapeProtocols.Choice choice = ScrapeProtocols.choose(contentType, fallback);
    if (!choice.ok()) {
      throw new ScrapeException(choice.message());
    }
    if (choice.message() != null && !choice.message().equals(lastWarning)) {
      lastWarning = choice.message(); // once per distinct cause, not once per scrape
      LOG.warnf("target %s: %s", target, choice.message());
    }
    return parsers.computeIfAbsent(choice.format(), ExpositionFormat::newParser);
  }
}
