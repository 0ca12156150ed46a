package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.quarry.textparse.SeriesHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeriesTextsTest {

  private static byte[] intern(SeriesTexts texts, String s) {
    // Inside a larger buffer, as a page holds it.
    byte[] page = ("xx" + s + " 1\n").getBytes(StandardCharsets.UTF_8);
    int len = s.getBytes(StandardCharsets.UTF_8).length;
    return texts.intern(page, 2, len, SeriesHash.hash(page, 2, len));
  }

  @Test
  void equalTextsFromDifferentPagesAreOneArray() {
    SeriesTexts texts = new SeriesTexts();
    byte[] a = intern(texts, "up{x=\"1\"}");
    assertArrayEquals("up{x=\"1\"}".getBytes(StandardCharsets.UTF_8), a);
    assertSame(a, intern(texts, "up{x=\"1\"}"));
    assertNotSame(a, intern(texts, "up{x=\"2\"}"));
  }

  @Test
  void aTextUnusedForTwoGenerationsIsCopiedAnewAndOneStillInUseIsKept() {
    SeriesTexts texts = new SeriesTexts();
    byte[] first = intern(texts, "first");
    byte[] kept = intern(texts, "kept");
    for (int i = 0; i < SeriesTexts.GENERATION * 2; i++) {
      intern(texts, "s" + i);
      if (i % 1000 == 0) {
        assertSame(kept, intern(texts, "kept")); // found again: moves to the young generation
      }
    }
    assertSame(kept, intern(texts, "kept"));
    byte[] again = intern(texts, "first");
    assertNotSame(first, again);
    assertArrayEquals(first, again);
  }

  @Test
  void cachesOfTwoTargetsShareTheirSeriesTexts() throws Exception {
    SeriesTexts texts = new SeriesTexts();
    ScrapeCache c1 = new ScrapeCache(texts);
    ScrapeCache c2 = new ScrapeCache(texts);
    byte[] p1 = "a{x=\"1\"} 1\n".getBytes(StandardCharsets.UTF_8);
    byte[] p2 = "a{x=\"1\"} 2\n".getBytes(StandardCharsets.UTF_8);
    ScrapeCache.Entry e1 = c1.add(p1, 0, 8, SeriesHash.hash(p1, 0, 8), 1, null);
    ScrapeCache.Entry e2 = c2.add(p2, 0, 8, SeriesHash.hash(p2, 0, 8), 2, null);
    assertSame(ScrapeCache.key(e1), ScrapeCache.key(e2));
  }

  @Test
  void cachesOfTwoEnginesShareNothing() {
    ScrapeCache c1 = new ScrapeCache(ScrapeTables.defaults().seriesTexts);
    ScrapeCache c2 = new ScrapeCache(ScrapeTables.defaults().seriesTexts);
    byte[] p = "a{x=\"1\"} 1\n".getBytes(StandardCharsets.UTF_8);
    ScrapeCache.Entry e1 = c1.add(p, 0, 8, SeriesHash.hash(p, 0, 8), 1, null);
    ScrapeCache.Entry e2 = c2.add(p, 0, 8, SeriesHash.hash(p, 0, 8), 2, null);
    assertNotSame(ScrapeCache.key(e1), ScrapeCache.key(e2));
  }
}
