package dev.quarry.scrape;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.InvalidHistogramException;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.SampleRejectedException;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.Exemplar;
import dev.quarry.textparse.ParseException;
import dev.quarry.textparse.ParseWarnings;
import dev.quarry.textparse.Parser;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One scrape, one transaction: {@link #scrape} appends a fetched body (or an empty scrape when the
 * fetch failed) and the report series to one {@link Appender} and commits it, or rolls the body
 * back and appends an empty scrape instead when the append fails, and drives the {@link
 * ScrapeCache}'s protocol around it (begin, abort on rollback, end). {@link #append} is the body's
 * part: each series is looked up in the cache (labels are built and relabelled only on a miss), the
 * sample rules applied (honor_timestamps, label limits, and through {@link LimitAppenders} the
 * sample_limit and no samples more than 10 minutes ahead), staleness markers written for series of
 * the previous scrape that are gone, and metadata recorded.
 *
 * <p>One instance per scrape loop, used by one scrape at a time (on the append worker); it keeps
 * scratch objects between scrapes so a steady-state scrape allocates almost nothing.
 */
final class ScrapeAppend {
  private static final Logger LOG = Logger.getLogger(ScrapeAppend.class);

  /** Samples further ahead of the scrape than this are refused, as Prometheus does. */
  static final long MAX_AHEAD_MILLIS = 10 * 60 * 1000;

  /** Counts of one append, as the report series show them. */
  record Result(
      int total,
      int added,
      int seriesAdded,
      Map<SampleRejectedException.Reason, Integer> rejected) {}

  /** What one scrape came to: {@code error} null when the target is up. */
  record Outcome(ScrapeFailure failure, String error) {
    static final Outcome UP = new Outcome(null, null);
  }

  /** The append failed as a whole (parse error, sample or label limit): roll back. */
  static final class AppendFailed extends Exception {
    final ScrapeFailure reason;
    final int total;
    final int added;
    final int seriesAdded;

    AppendFailed(ScrapeFailure reason, String message, int total, int added, int seriesAdded) {
      super(message, null, false, false);
      this.reason = reason;
      this.total = total;
      this.added = added;
      this.seriesAdded = seriesAdded;
    }
  }

  private final ScrapeTables tables;
  private final ScrapeCache cache;
  private final SampleLabels sampleLabels;
  private final boolean honorTimestamps;
  private final boolean trackTimestampsStaleness;
  private final long sampleLimit;
  private final Labels.Builder builder = Labels.builder();
  private final Exemplar exemplar = new Exemplar();
  private final Histogram histogram = new Histogram();
  private final FloatHistogram floatHistogram = new FloatHistogram();
  // The transaction's collaborators; null in an instance made for append() alone.
  private final LoopOptions o;
  private final ReportSeries report;

  /** For {@link #append} alone, into appenders the caller commits. */
  ScrapeAppend(
      ScrapeTables tables,
      ScrapeCache cache,
      SampleLabels sampleLabels,
      boolean honorTimestamps,
      boolean trackTimestampsStaleness,
      long sampleLimit) {
    this(tables, cache, sampleLabels, honorTimestamps, trackTimestampsStaleness, sampleLimit, null);
  }

  /** The scrapes of one loop. */
  ScrapeAppend(LoopOptions o) {
    this(
        o.env().tables(),
        o.cache(),
        o.sampleLabels(),
        o.honorTimestamps(),
        o.trackTimestampsStaleness(),
        o.sampleLimit(),
        o);
  }

  private ScrapeAppend(
      ScrapeTables tables,
      ScrapeCache cache,
      SampleLabels sampleLabels,
      boolean honorTimestamps,
      boolean trackTimestampsStaleness,
      long sampleLimit,
      LoopOptions o) {
    this.tables = tables;
    this.cache = cache;
    this.sampleLabels = sampleLabels;
    this.honorTimestamps = honorTimestamps;
    this.trackTimestampsStaleness = trackTimestampsStaleness;
    this.sampleLimit = sampleLimit;
    this.o = o;
    this.report = o == null ? null : new ReportSeries(o.target().publicLabels(), o.extraMetrics());
  }

  ScrapeCache cache() {
    return cache;
  }

  /**
   * Appends the scrape at {@code t} in one transaction and commits it: the body of {@code resp}, or
   * an empty scrape when {@code scrapeErr} says the fetch failed or the body's append fails (then
   * rolled back first), and the report series. Runs on the worker.
   */
  Outcome scrape(ScrapeResponse resp, Throwable scrapeErr, long t, double seconds) {
    Outcome outcome = scrapeErr == null ? Outcome.UP : fetchFailure(scrapeErr);
    boolean bodyLimitHit = scrapeErr instanceof ScrapeException se && se.bodyLimitExceeded();
    Appender app = o.env().appendable().appender();
    int total = 0;
    int added = 0;
    int seriesAdded = 0;
    boolean hadBody = resp != null && resp.length() > 0;
    Parser parser = null;
    try {
      if (resp != null) {
        parser = o.parsers().parserFor(resp.contentType());
        parser.reset(resp.body(), 0, resp.length());
      }
      Result r = append(parser, app, t);
      total = r.total();
      added = r.added();
      seriesAdded = r.seriesAdded();
      Integer refused =
          r.rejected().get(SampleRejectedException.Reason.NATIVE_HISTOGRAMS_UNSUPPORTED);
      if (refused != null) {
        o.env().metrics().nativeHistogramsRefused.increment(refused);
      }
      if (!r.rejected().isEmpty()) {
        LOG.debugf("target %s: samples rejected by storage: %s", o.target(), r.rejected());
      }
    } catch (AppendFailed | ScrapeException e) {
      app.rollback();
      cache.abortScrape();
      if (e instanceof AppendFailed af) {
        // Prometheus reports what the failed attempt counted before it stopped.
        total = af.total;
        added = af.added;
        seriesAdded = af.seriesAdded;
        outcome = new Outcome(af.reason, af.getMessage());
      } else {
        outcome = new Outcome(((ScrapeException) e).reason(), e.getMessage());
      }
      hadBody = false;
      app = o.env().appendable().appender();
      appendEmpty(app, t);
    } finally {
      ParseWarnings w = parser == null ? ParseWarnings.NONE : parser.warnings();
      o.target().health().warnings(w.kept());
      o.env().metrics().warnings.increment(w.total());
      if (parser != null) {
        o.parsers().release(parser);
      }
    }
    boolean up = outcome.error() == null;
    long bodyBytes = resp != null && up ? resp.length() : bodyLimitHit ? -1 : 0;
    report.append(
        app,
        t,
        up ? 1 : 0,
        seconds,
        total,
        added,
        seriesAdded,
        o.target().timeout().toMillis() / 1000.0,
        sampleLimit,
        bodyBytes);
    try {
      app.commit();
    } catch (RuntimeException e) {
      cache.abortScrape();
      LOG.errorf("target %s: commit failed: %s", o.target(), e.getMessage());
      return new Outcome(ScrapeFailure.COMMIT, "commit failed: " + e.getMessage());
    }
    cache.iterDone(hadBody);
    return outcome;
  }

  /**
   * Appends and commits the end-of-run staleness markers at {@code staleTime}: for every series of
   * the last scrape, report series included. Runs on the worker.
   */
  void endOfRun(long staleTime) {
    Appender app = o.env().appendable().appender();
    appendEmpty(app, staleTime);
    report.appendStale(app, staleTime);
    app.commit();
  }

  /** The text of a failed fetch, as the target's health and the failure log show it. */
  static String errorText(Throwable e) {
    return e instanceof ScrapeException ? e.getMessage() : String.valueOf(e.getMessage());
  }

  private static Outcome fetchFailure(Throwable e) {
    return e instanceof ScrapeException se
        ? new Outcome(se.reason(), se.getMessage())
        : new Outcome(ScrapeFailure.SCRAPE, String.valueOf(e.getMessage()));
  }

  /** An empty scrape: only the staleness markers of the previous scrape's series. */
  private void appendEmpty(Appender app, long t) {
    try {
      append(null, app, t);
    } catch (AppendFailed impossible) {
      throw new IllegalStateException(impossible);
    }
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
    LimitAppenders.LimitExceeded limitHit = null;
    Map<SampleRejectedException.Reason, Integer> rejected = null;
    if (parser != null) {
      Appender limited =
          LimitAppenders.histogramLimits(
              LimitAppenders.sampleLimit(
                  LimitAppenders.timeLimit(app, defTime + MAX_AHEAD_MILLIS), sampleLimit),
              o == null ? LimitAppenders.HistogramLimits.NONE : o.histogramLimits());
      try {
        // One call site for next(), so that it inlines into this loop.
        for (Entry e; (e = next(parser)) != Entry.EOF; ) {
          if (e != Entry.SERIES && e != Entry.HISTOGRAM) {
            if (e != Entry.COMMENT) {
              recordMetadata(parser, e);
            }
            continue;
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
            lset = newSeriesLabels(parser, total, added, seriesAdded);
            if (lset == null) {
              cache.add(buf, off, len, hash, 0, null);
              continue;
            }
          }
          boolean explicitTs = parser.hasTimestamp() && honorTimestamps;
          long t = explicitTs ? parser.timestamp() : defTime;
          boolean native_ = e == Entry.HISTOGRAM;
          double v = native_ ? 0 : parser.value();
          added++;
          long ref = ce != null ? ce.ref : 0;
          boolean ok = true;
          try {
            ref =
                native_
                    ? appendHistogram(limited, parser, ref, lset, t, total, added, seriesAdded)
                    : limited.append(ref, lset, t, v);
          } catch (LimitAppenders.LimitExceeded x) {
            limitHit = x.over(limitHit); // counting on: the report shows every sample of the page
            continue;
          } catch (SampleRejectedException r) {
            ok = false;
            rejected = countRejected(rejected, r);
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
            appendExemplar(app, ref, lset);
          }
        }
      } catch (ParseException pe) {
        // A sample Prometheus refuses only on append (a label twice) counts as scraped there.
        int scraped = pe.sampleRead() ? total + 1 : total;
        throw new AppendFailed(ScrapeFailure.PARSE, pe.getMessage(), scraped, added, seriesAdded);
      }
    }
    if (limitHit != null) {
      throw new AppendFailed(limitHit.failure, limitHit.getMessage(), total, added, seriesAdded);
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

  /**
   * Appends the native histogram of the parser's HISTOGRAM entry, validated as Prometheus' head
   * validates it (an invalid one fails the scrape, naming the series) and compacted.
   */
  private long appendHistogram(
      Appender app, Parser parser, long ref, Labels lset, long t, int total, int added, int sa)
      throws AppendFailed {
    boolean integer = parser.histogram(histogram, floatHistogram);
    try {
      if (integer) {
        histogram.validate();
        histogram.compact(); // as Prometheus' parser hands it on
      } else {
        floatHistogram.validate();
        floatHistogram.compact();
      }
    } catch (InvalidHistogramException ex) {
      throw new AppendFailed(
          ScrapeFailure.PARSE,
          "invalid native histogram " + lset + ": " + ex.getMessage(),
          total,
          added - 1,
          sa);
    }
    return app.appendHistogram(
        ref, lset, t, integer ? histogram : null, integer ? null : floatHistogram);
  }

  // The rare paths of append's loop, kept out of it so that its hot calls inline.

  /** The final labels of a series not in the cache, or null when relabelling drops it. */
  private Labels newSeriesLabels(Parser parser, int total, int added, int seriesAdded)
      throws AppendFailed {
    parser.labels(builder);
    try {
      return sampleLabels.finish(builder);
    } catch (SampleLabels.LimitExceeded ex) {
      throw new AppendFailed(ScrapeFailure.LABEL_LIMIT, ex.getMessage(), total, added, seriesAdded);
    }
  }

  private static Map<SampleRejectedException.Reason, Integer> countRejected(
      Map<SampleRejectedException.Reason, Integer> rejected, SampleRejectedException r) {
    if (rejected == null) {
      rejected = new EnumMap<>(SampleRejectedException.Reason.class);
    }
    rejected.merge(r.reason(), 1, Integer::sum);
    return rejected;
  }

  private void appendExemplar(Appender app, long ref, Labels lset) {
    app.appendExemplar(
        ref,
        lset,
        new dev.quarry.storage.Exemplar(
            exemplar.labels(), exemplar.value(), exemplar.hasTimestamp(), exemplar.timestamp()));
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

  private void recordMetadata(Parser parser, Entry e) {
    ScrapeCache.MetaEntry me =
        cache.metaEntry(parser.buffer(), parser.familyOffset(), parser.familyLength());
    Metadata old = me.metadata;
    switch (e) {
      case TYPE -> {
        String type = parser.type().wireName();
        if (!type.equals(old.type())) {
          me.metadata = tables.shared(new Metadata(type, old.help(), old.unit()));
        }
      }
      case HELP -> {
        long h = parser.helpHash();
        if (h != me.helpHash) {
          // Interned: targets of a job mostly expose the same help texts.
          String help = parser.help().intern();
          if (!help.equals(old.help())) {
            me.metadata = tables.shared(new Metadata(old.type(), help, old.unit()));
          }
          me.helpHash = h;
        }
      }
      case UNIT -> {
        String unit = parser.unit();
        if (!unit.equals(old.unit())) {
          me.metadata = tables.shared(new Metadata(old.type(), old.help(), unit));
        }
      }
      default -> {}
    }
  }
}
