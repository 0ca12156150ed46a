package dev.quarry.scrape;

import dev.quarry.model.Labels;
import dev.quarry.relabel.LargeStack;
import dev.quarry.storage.Metadata;
import dev.quarry.textparse.ExpositionFormat;
import dev.quarry.textparse.Parser;
import dev.quarry.util.IdlePool;
import dev.quarry.util.InternTable;
import java.util.EnumMap;
import java.util.Map;

/**
 * The tables one scrape engine shares between its targets: raw series texts, exposed label sets and
 * family metadata interned across targets (the targets of a job mostly expose the same series), and
 * idle parsers by exposition format, and the large-stack threads the jobs' deep relabel regexes
 * match on. Owned by the engine ({@link ScrapeEnv}) and sized by it, so two engines (or two tests)
 * share nothing. Thread-safe: the intern tables lock, the idle pools are concurrent.
 */
public final class ScrapeTables {
  final SeriesTexts seriesTexts;
  final InternTable<Labels> exposedLabels;
  final InternTable<Metadata> metadata;
  final LargeStack regexStack;
  private final Map<ExpositionFormat, IdlePool<Parser>> idleParsers =
      new EnumMap<>(ExpositionFormat.class);

  /**
   * @param seriesGeneration series texts kept for sharing per generation (two generations)
   * @param labelsGeneration exposed label sets kept for sharing per generation
   * @param metadataGeneration family metadata kept for sharing per generation
   * @param idleParsers idle parsers kept per format; more than appends run at once are not needed
   * @param regexThreads deep relabel regexes matching at once (see {@link LargeStack})
   */
  public ScrapeTables(
      int seriesGeneration,
      int labelsGeneration,
      int metadataGeneration,
      int idleParsers,
      int regexThreads) {
    this.seriesTexts = new SeriesTexts(seriesGeneration);
    this.exposedLabels = new InternTable<>(labelsGeneration);
    this.metadata = new InternTable<>(metadataGeneration);
    this.regexStack = new LargeStack(regexThreads);
    for (ExpositionFormat f : ExpositionFormat.values()) {
      this.idleParsers.put(f, new IdlePool<>(idleParsers));
    }
  }

  /** Tables of the default sizes. */
  public static ScrapeTables defaults() {
    return new ScrapeTables(SeriesTexts.GENERATION, 1 << 15, 1 << 12, 64, 2);
  }

  /** The idle parsers of {@code format}. */
  IdlePool<Parser> idleParsers(ExpositionFormat format) {
    return idleParsers.get(format);
  }

  /** The instance of {@code m} that the caches of other targets exposing it hold too. */
  Metadata shared(Metadata m) {
    return metadata.intern(m.hashCode(), m::equals, () -> m);
  }

  /** The instance of {@code exposed} that other targets' series exposing it hold too. */
  Labels shared(Labels exposed) {
    return exposedLabels.intern(Long.hashCode(exposed.hash()), exposed::equals, () -> exposed);
  }
}
