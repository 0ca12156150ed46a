package dev.quarry.scrape;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.textparse.ExpositionFormat;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.ProtobufParser;
import dev.quarry.textparse.ScrapeProtocol;
import dev.quarry.textparse.ScrapeProtocols;
import org.jboss.logging.Logger;

/**
 * Picks a loop's parser by Content-Type with the job's {@code fallback_scrape_protocol}. Parsers
 * are shared by all loops of the engine through idle pools, one per exposition format ({@link
 * ScrapeTables}): a parser's scratch space (some 20 KB) is then kept per concurrent append rather
 * than per target. A protobuf parser is configured with the job's native-histogram settings each
 * time it is taken. Used by one scrape at a time.
 */
final class ContentTypeParsers implements ParserSelector {
  private static final Logger LOG = Logger.getLogger(ContentTypeParsers.class);
  private static final byte[] NO_BODY = new byte[0];

  private final ScrapeTables tables;
  private final ScrapeProtocol fallback;
  private final String target;
  private final boolean nativeHistograms;
  private final boolean classicHistograms;
  private String lastWarning;
  private ExpositionFormat taken;

  ContentTypeParsers(ScrapeTables tables, ScrapeProtocol fallback, String target) {
    this(tables, fallback, target, false, true);
  }

  /**
   * {@code nativeHistograms}: protobuf histograms are given as native histograms; {@code
   * classicHistograms}: their classic series too ({@code always_scrape_classic_histograms}).
   */
  ContentTypeParsers(
      ScrapeTables tables,
      ScrapeProtocol fallback,
      String target,
      boolean nativeHistograms,
      boolean classicHistograms) {
    this.tables = tables;
    this.fallback = fallback;
    this.target = target;
    this.nativeHistograms = nativeHistograms;
    this.classicHistograms = classicHistograms;
  }

  /** The selector of {@code job}'s scrapes, falling back to its fallback_scrape_protocol. */
  static ContentTypeParsers forJob(ScrapeConfig job, ScrapeTables tables) {
    String fallback = job.fallbackScrapeProtocol();
    return new ContentTypeParsers(
        tables,
        fallback == null ? null : ScrapeProtocol.fromConfigName(fallback),
        job.jobName(),
        job.scrapeNativeHistograms(),
        !job.scrapeNativeHistograms() || job.alwaysScrapeClassicHistograms());
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
    if (p == null) {
      p = choice.format().newParser();
    }
    if (p instanceof ProtobufParser pp) {
      pp.configure(nativeHistograms, classicHistograms); // parsers are shared by every job
    }
    return p;
  }

  @Override
  public void release(Parser parser) {
    parser.reset(NO_BODY, 0, 0); // not to keep the body reachable while idle
    tables.idleParsers(taken).give(parser);
  }
}
