package dev.quarry.scrape;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.textparse.ExpositionFormat;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.ScrapeProtocol;
import dev.quarry.textparse.ScrapeProtocols;
import dev.quarry.util.IdlePool;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Picks a loop's parser by Content-Type with the job's {@code fallback_scrape_protocol}. Parsers
 * are shared by all loops through idle pools, one per exposition format: a parser's scratch space
 * (some 20 KB) is then kept per concurrent append rather than per target. Used by one scrape at a
 * time.
 */
final class ContentTypeParsers implements ParserSelector {
  private static final Logger LOG = Logger.getLogger(ContentTypeParsers.class);
  private static final byte[] NO_BODY = new byte[0];

  /** Idle parsers by format; more than appends run at once are never needed. */
  private static final Map<ExpositionFormat, IdlePool<Parser>> IDLE =
      new EnumMap<>(ExpositionFormat.class);

  static {
    for (ExpositionFormat f : ExpositionFormat.values()) {
      IDLE.put(f, new IdlePool<>(64));
    }
  }

  private final ScrapeProtocol fallback;
  private final String target;
  private String lastWarning;
  private ExpositionFormat taken;

  ContentTypeParsers(ScrapeProtocol fallback, String target) {
    this.fallback = fallback;
    this.target = target;
  }

  /** The selector of {@code job}'s scrapes, falling back to its fallback_scrape_protocol. */
  static ContentTypeParsers forJob(ScrapeConfig job) {
    String fallback = job.fallbackScrapeProtocol();
    return new ContentTypeParsers(
        fallback == null ? null : ScrapeProtocol.fromConfigName(fallback), job.jobName());
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
    Parser p = IDLE.get(choice.format()).take();
    taken = choice.format();
    return p != null ? p : choice.format().newParser();
  }

  @Override
  public void release(Parser parser) {
    parser.reset(NO_BODY, 0, 0); // not to keep the body reachable while idle
    IDLE.get(taken).give(parser);
  }
}
