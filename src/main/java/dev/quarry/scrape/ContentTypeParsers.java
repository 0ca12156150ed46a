package dev.quarry.scrape;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.textparse.ExpositionFormat;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.ScrapeProtocol;
import dev.quarry.textparse.ScrapeProtocols;
import org.jboss.logging.Logger;

/**
 * Picks a loop's parser by Content-Type with the job's {@code fallback_scrape_protocol}. Parsers
 * are shared by all loops of the engine through idle pools, one per exposition format ({@link
 * ScrapeTables}): a parser's scratch space (some 20 KB) is then kept per concurrent append rather
 * than per target. Used by one scrape at a time.
 */
final class ContentTypeParsers implements ParserSelector {
  private static final Logger LOG = Logger.getLogger(ContentTypeParsers.class);
  private static final byte[] NO_BODY = new byte[0];

  private final ScrapeTables tables;
  private final ScrapeProtocol fallback;
  private final String target;
  private String lastWarning;
  private ExpositionFormat taken;

  ContentTypeParsers(ScrapeTables tables, ScrapeProtocol fallback, String target) {
    this.tables = tables;
    this.fallback = fallback;
    this.target = target;
  }

  /** The selector of {@code job}'s scrapes, falling back to its fallback_scrape_protocol. */
  static ContentTypeParsers forJob(ScrapeConfig job, ScrapeTables tables) {
    String fallback = job.fallbackScrapeProtocol();
    return new ContentTypeParsers(
        tables, fallback == null ? null : ScrapeProtocol.fromConfigName(fallback), job.jobName());
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
    Parser p = tables.idleParsers(choice.format()).take();
    taken = choice.format();
    return p != null ? p : choice.format().newParser();
  }

  @Override
  public void release(Parser parser) {
    parser.reset(NO_BODY, 0, 0); // not to keep the body reachable while idle
    tables.idleParsers(taken).give(parser);
  }
}
