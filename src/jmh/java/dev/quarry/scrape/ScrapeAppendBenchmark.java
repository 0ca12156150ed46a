package dev.quarry.scrape;

import dev.quarry.bench.Fixtures;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Exemplar;
import dev.quarry.storage.Metadata;
import dev.quarry.textparse.Entry;
import dev.quarry.textparse.ParseException;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.PromTextParser;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A steady-state scrape's append of the farm page (1,348 series, reported per series) up to the
 * storage: parsing, metadata, the scrape cache and staleness tracking, into an appender that only
 * counts. {@code steadyPage} is the agent's path, where the parser is told the series to expect in
 * page order; {@code steadyPageWithoutOrder} hides the hints, so every line is scanned, hashed and
 * looked up as on a page whose order changed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScrapeAppendBenchmark {
  static final int SERIES = 1348;

  byte[] page;
  final PromTextParser parser = new PromTextParser();

  /** The same parser without {@link Parser#expect(byte[])}. */
  Parser unordered;

  ScrapeAppend hinted;
  ScrapeAppend plain;
  final CountingAppender appender = new CountingAppender();
  long t = 1_000_000;

  @Setup
  public void setUp() throws IOException, ScrapeAppend.AppendFailed {
    page = Fixtures.text("farm_payload.prom");
    Labels target = Labels.of("job", "farm", "instance", "127.0.0.1:23000");
    ScrapeTables tables = ScrapeTables.defaults();
    hinted = newAppend(tables, target);
    plain = newAppend(tables, target);
    unordered = new Unordered(parser);
    steadyPage();
    steadyPageWithoutOrder();
  }

  private static ScrapeAppend newAppend(ScrapeTables tables, Labels target) {
    return new ScrapeAppend(
        tables,
        new ScrapeCache(tables.seriesTexts),
        new SampleLabels(tables, target, false, null, 0, 0, 0),
        true,
        false,
        0);
  }

  private int run(ScrapeAppend a, Parser p) throws ScrapeAppend.AppendFailed {
    parser.reset(page, 0, page.length);
    appender.n = 0;
    a.append(p, appender, t += 1000);
    a.cache().iterDone(true);
    if (appender.n != SERIES) {
      throw new IllegalStateException(appender.n + " samples appended, expected " + SERIES);
    }
    return appender.n;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int steadyPage() throws ScrapeAppend.AppendFailed {
    return run(hinted, parser);
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int steadyPageWithoutOrder() throws ScrapeAppend.AppendFailed {
    return run(plain, unordered);
  }

  /** The parser with its page-order hints ignored. */
  static final class Unordered implements Parser {
    final Parser p;

    Unordered(Parser p) {
      this.p = p;
    }

    @Override
    public void reset(byte[] buf, int off, int len) {
      p.reset(buf, off, len);
    }

    @Override
    public Entry next() throws ParseException {
      return p.next();
    }

    @Override
    public byte[] buffer() {
      return p.buffer();
    }

    @Override
    public int seriesOffset() {
      return p.seriesOffset();
    }

    @Override
    public int seriesLength() {
      return p.seriesLength();
    }

    @Override
    public long seriesHash() {
      return p.seriesHash();
    }

    @Override
    public double value() {
      return p.value();
    }

    @Override
    public boolean hasTimestamp() {
      return p.hasTimestamp();
    }

    @Override
    public long timestamp() {
      return p.timestamp();
    }

    @Override
    public boolean exemplar(dev.quarry.textparse.Exemplar into) {
      return p.exemplar(into);
    }

    @Override
    public void labels(Labels.Builder into) {
      p.labels(into);
    }

    @Override
    public Labels labels() {
      return p.labels();
    }

    @Override
    public int familyOffset() {
      return p.familyOffset();
    }

    @Override
    public int familyLength() {
      return p.familyLength();
    }

    @Override
    public String familyName() {
      return p.familyName();
    }

    @Override
    public String help() {
      return p.help();
    }

    @Override
    public long helpHash() {
      return p.helpHash();
    }

    @Override
    public dev.quarry.textparse.MetricType type() {
      return p.type();
    }

    @Override
    public String unit() {
      return p.unit();
    }

    @Override
    public String comment() {
      return p.comment();
    }
  }

  /** Hands out refs and counts samples; stores nothing. */
  static final class CountingAppender implements Appender {
    int n;
    long nextRef = 1;

    @Override
    public long append(long ref, Labels labels, long timestampMillis, double value) {
      n++;
      return ref != 0 ? ref : nextRef++;
    }

    @Override
    public void appendExemplar(long ref, Labels labels, Exemplar exemplar) {}

    @Override
    public void updateMetadata(long ref, Labels labels, Metadata metadata) {}

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }
}
