package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import dev.quarry.textparse.PromTextParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A steady page reaches the file store by ref: after the first scrape every sample is appended with
 * the ref the store handed out for its series, and the store answers with that same ref, so no
 * scrape after the first looks a series up by its labels.
 */
class ScrapeRefsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void steadyPageAppendsByRef(boolean agentMode) throws Exception {
    byte[] page = Files.readAllBytes(Path.of("src/test/resources/fixtures/farm_payload.prom"));
    ScrapeTables tables = ScrapeTables.defaults();
    Labels target = Labels.of("job", "farm", "instance", "127.0.0.1:23000");
    ScrapeAppend append =
        new ScrapeAppend(
            tables,
            new ScrapeCache(tables.seriesTexts),
            new SampleLabels(tables, target, false, null, 0, 0, 0),
            true,
            false,
            0);
    PromTextParser parser = new PromTextParser();
    Map<Labels, Long> firstRefs = new HashMap<>();
    try (FileStorage fs =
        FileStorage.open(dir, FileStorageSettings.DEFAULTS.withAgentMode(agentMode))) {
      for (int scrape = 0; scrape < 3; scrape++) {
        RefChecking app = new RefChecking(fs.appender(), firstRefs, scrape == 0);
        parser.reset(page, 0, page.length);
        ScrapeAppend.Result r = append.append(parser, app, 1_000_000 + scrape * 2000L);
        app.commit();
        append.cache().iterDone(true);
        assertEquals(1348, r.total(), "samples of the page");
        assertEquals(1348, app.appends, "scrape " + scrape);
        assertEquals(scrape == 0 ? 1348 : 0, app.withoutRef, "appends without a ref");
        assertEquals(0, app.otherRef, "appends answered with another ref than passed");
      }
    }
  }

  /** Counts the appends that pass no ref, and those answered with another ref than passed. */
  private static final class RefChecking extends LimitAppenders.Forwarding {
    final Map<Labels, Long> refs;
    final boolean first;
    int appends;
    int withoutRef;
    int otherRef;

    RefChecking(Appender next, Map<Labels, Long> refs, boolean first) {
      super(next);
      this.refs = refs;
      this.first = first;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      appends++;
      if (ref == 0) {
        withoutRef++;
      }
      long got = next.append(ref, labels, t, v);
      if (ref != 0 && got != ref) {
        otherRef++;
      }
      if (first) {
        refs.put(labels, got);
      } else if (refs.get(labels) != got) {
        otherRef++;
      }
      return got;
    }
  }
}
