package dev.quarry.scrape;

import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.SampleRejectedException;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.Exemplar;
import dev.quarry.textparse.ParseException;
import dev.quarry.textparse.Parser;
import dev.quarry.util.InternTable;
import java.util.EnumMap;
import java.util.Map;

/**
 * Appends one scraped body to an {@link Appender}: looks each series up in the {@link ScrapeCache}
 * (labels are built and relabelled only on a miss), applies the sample rules (honor_timestamps,
 * sample_limit, label limits, no samples more than 10 minutes ahead), writes staleness markers for
 * series of the previous scrape that are gone, and records metadata.
 *
 * <p>One instance per scrape loop, used by one scrape at a time; it keeps scratch objects between
 * scrapes so a steady-state scrape allocates almost nothing.
 */
final class ScrapeAppend {
  /** Samples further ahead of the scrape than this are refused, as Prometheus does. */
  static final long MAX_AHEAD_MILLIS = 10 * 60 * 1000;

  /** Counts of one append, as the report series show them. */
  record Result(
      int total,
      int added,
      int seriesAdded,
      Map<SampleRejectedException.Reason, Integer> rejected) {}

  /** The append failed as a whole (parse error, sample or label limit): roll back. */
  static final class AppendFailed extends Exception {
    final int total;
    final int added;
    final int seriesAdded;

    AppendFailed(String message, int total, int added, int seriesAdded) {
      super(message, null, false, false);
      this.total = total;
      this.added = added;
      this.seriesAdded = seriesAdded;
    }
  }

  private final ScrapeCache cache;
  private final SampleLabels sampleLabels;
  private final boolean honorTimestamps;
  private final boolean trackTimestampsStaleness;
  private final long sampleLimit;
  private final Labels.Builder builder = Labels.builder();
  private final Exemplar exemplar = new Exemplar();

  ScrapeAppend(
      ScrapeCache cache,
      SampleLabels sampleLabels,
      boolean honorTimestamps,
      boolean trackTimestampsStaleness,
      long sampleLimit) {
    this.cache = cache;
    this.sampleLabels = sampleLabels;
    this.honorTimestamps = honorTimestamps;
    this.trackTimestampsStaleness = trackTimestampsStaleness;
    this.sampleLimit = sampleLimit;
  }

  ScrapeCache cache() {
    return cache;
  }

  /**
   * Appends every sample of the body the parser was reset on (null parser: an empty scrape, which
   * only writes staleness markers).
   */
  Result append(Parser parser, Appender app, long defTime) throws AppendFailed {
    cache.beginScrape();
    int total = 0;
    int added = 0;
    int seriesAdded = 0;
    boolean sampleLimitHit = false;
    Map<SampleRejectedException.Reason, Integer> rejected = null;
    long maxTime = defTime + MAX_AHEAD_MILLIS;
    if (parser != null) {
      try {
        for (Entry e = next(parser); e != Entry.EOF; e = next(parser)) {
          switch (e) {
            case TYPE, HELP, UNIT -> {
              recordMetadata(parser, e);
              continue;
            }
            case COMMENT -> {
              continue;
            }
            default -> {}
          }
          total++;
          byte[] buf = parser.buffer();
          int off = 0;
          int len = 0;
          long hash = 0;
          ScrapeCache.Entry ce;
          if (parser.matchedExpected()) {
            ce = cache.hit(expected);
          } else {
            off = parser.seriesOffset();
            len = parser.seriesLength();
            hash = parser.seriesHash();
            ce = cache.get(buf, off, len, hash);
          }
          Labels lset;
          if (ce != null) {
            if (ce.dropped()) {
              continue;
            }
            lset = ce.labels;
          } else {
            parser.labels(builder);
            try {
              lset = sampleLabels.finish(builder);
            } catch (SampleLabels.LimitExceeded ex) {
              throw new AppendFailed(ex.getMessage(), total, added, seriesAdded);
            }
            if (lset == null) {
              cache.add(buf, off, len, hash, 0, null);
              continue;
            }
          }
          boolean explicitTs = parser.hasTimestamp() && honorTimestamps;
          long t = explicitTs ? parser.timestamp() : defTime;
          double v = parser.value();
          added++;
          if (sampleLimit > 0 && added > sampleLimit) {
            sampleLimitHit = true;
            continue;
          }
          long ref = ce != null ? ce.ref : 0;
          boolean ok = true;
          try {
            if (t > maxTime) {
              throw new SampleRejectedException(SampleRejectedException.Reason.TOO_FAR_IN_FUTURE);
            }
            ref = app.append(ref, lset, t, v);
          } catch (SampleRejectedException r) {
            ok = false;
            if (rejected == null) {
              rejected = new EnumMap<>(SampleRejectedException.Reason.class);
            }
            rejected.merge(r.reason(), 1, Integer::sum);
          }
          if (ce == null) {
            ce = cache.add(buf, off, len, hash, ref, lset);
            if (ok) {
              seriesAdded++;
            }
          } else {
            ce.ref = ref;
          }
          if (ok && (!explicitTs || trackTimestampsStaleness)) {
            cache.trackStaleness(ce);
          }
          if (ok && parser.exemplar(exemplar)) {
            app.appendExemplar(
                ref,
                lset,
                new dev.quarry.storage.Exemplar(
                    exemplar.labels(),
                    exemplar.value(),
                    exemplar.hasTimestamp(),
                    exemplar.timestamp()));
          }
        }
      } catch (ParseException pe) {
        // A sample Prometheus refuses only on append (a label twice) counts as scraped there.
        int scraped = pe.sampleRead() ? total + 1 : total;
        throw new AppendFailed(pe.getMessage(), scraped, added, seriesAdded);
      }
    }
    if (sampleLimitHit) {
      throw new AppendFailed("sample limit exceeded", total, added, seriesAdded);
    }
    cache.forEachStale(
        l -> {
          try {
            app.append(0, l, defTime, StaleMarker.STALE_NAN);
          } catch (SampleRejectedException ignored) {
            // a series rewritten since: its marker is out of order and not needed
          }
        });
    return new Result(total, added, seriesAdded, rejected == null ? Map.of() : rejected);
  }

  /** The series expected next in page order, as last handed to the parser. */
  private ScrapeCache.Entry expected;

  /**
   * The parser's next entry, hinted with the series that followed the last one in the previous
   * scrape: on a steady page the parser then only compares bytes, and the cache skips its lookup.
   */
  private Entry next(Parser parser) throws ParseException {
    expected = cache.expected();
    parser.expect(expected == null ? null : ScrapeCache.key(expected));
    return parser.next();
  }

  /** Family metadata shared between targets; at most two generations of unused ones kept. */
  private static final InternTable<Metadata> METADATA = new InternTable<>(1 << 12);

  /** The instance of {@code m} that the caches of other targets exposing it hold too. */
  private static Metadata shared(Metadata m) {
    return METADATA.intern(m.hashCode(), m::equals, () -> m);
  }

  private void recordMetadata(Parser parser, Entry e) {
    ScrapeCache.MetaEntry me =
        cache.metaEntry(parser.buffer(), parser.familyOffset(), parser.familyLength());
    Metadata old = me.metadata;
    switch (e) {
      case TYPE -> {
        String type = parser.type().wireName();
        if (!type.equals(old.type())) {
          me.metadata = shared(new Metadata(type, old.help(), old.unit()));
        }
      }
      case HELP -> {
        long h = parser.helpHash();
        if (h != me.helpHash) {
          // Interned: targets of a job mostly expose the same help texts.
          String help = parser.help().intern();
          if (!help.equals(old.help())) {
            me.metadata = shared(new Metadata(old.type(), help, old.unit()));
          }
          me.helpHash = h;
        }
      }
      case UNIT -> {
        String unit = parser.unit();
        if (!unit.equals(old.unit())) {
          me.metadata = shared(new Metadata(old.type(), old.help(), unit));
        }
      }
      default -> {}
    }
  }
}
