package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** native_histogram_bucket_limit and native_histogram_min_bucket_factor, as Prometheus 3. */
class HistogramLimitsTest {
  private static final Labels A = Labels.of("__name__", "a");

  /** What reached the storage side. */
  private final List<Histogram> got = new ArrayList<>();

  private final List<FloatHistogram> gotFloat = new ArrayList<>();

  private final Appender sink =
      new LimitAppenders.Forwarding(new MemoryStorage().appender()) {
        @Override
        public long append(long ref, Labels labels, long t, double v) {
          return 0;
        }

        @Override
        public long appendHistogram(
            long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
          if (h != null) {
            got.add(h.copy());
          } else {
            gotFloat.add(fh.copy());
          }
          return 1;
        }
      };

  /** Schema 3, {@code n} consecutive positive buckets from index 1, one observation each. */
  private static Histogram buckets(int n) {
    Histogram h = new Histogram().set(3, 0, 0, n, n);
    h.positiveSpans().add(1, n);
    h.addPositiveDelta(1);
    for (int i = 1; i < n; i++) {
      h.addPositiveDelta(0);
    }
    return h;
  }

  @ParameterizedTest
  @CsvSource({"0, 8", "1, 8", "1.00271, 8", "1.003, 7", "1.1, 2", "2, 0", "4, -1", "1e9, -4"})
  void minBucketFactorPicksTheLargestSchemaWithAtLeastThatGrowth(double factor, int schema) {
    assertEquals(schema, LimitAppenders.HistogramLimits.pickSchema(factor));
  }

  @Test
  void withoutLimitsFloatSamplesGoStraightToTheNextAppender() {
    assertSame(sink, LimitAppenders.histogramLimits(sink, LimitAppenders.HistogramLimits.NONE));
  }

  @Test
  void minBucketFactorLowersTheSchemaKeepingTheCount() {
    Appender app = LimitAppenders.histogramLimits(sink, LimitAppenders.HistogramLimits.of(0, 1.1));
    app.appendHistogram(0, A, 1, buckets(16), null);
    Histogram h = got.get(0);
    assertEquals(2, h.schema());
    assertEquals(8, h.positiveBucketCount(), "two schema-3 buckets per schema-2 bucket");
    assertEquals(16, h.count());
  }

  @Test
  void bucketLimitHalvesTheResolutionUntilUnderTheLimit() {
    Appender app = LimitAppenders.histogramLimits(sink, LimitAppenders.HistogramLimits.of(5, 0));
    app.appendHistogram(0, A, 1, buckets(16), null);
    Histogram h = got.get(0);
    // schema 3: indices 1..16; 2: 1..8; 1: 1..4, four buckets.
    assertEquals(1, h.schema());
    assertEquals(4, h.positiveBucketCount());
    FloatHistogram f = buckets(16).toFloat(new FloatHistogram());
    app.appendHistogram(0, A, 1, null, f);
    assertEquals(1, gotFloat.get(0).schema());
    assertEquals(4, gotFloat.get(0).positiveBucketCount());
  }

  @Test
  void aHistogramStillOverTheLimitAtTheLowestSchemaFailsWithPrometheusError() {
    Histogram wide = new Histogram().set(-4, 0, 0, 2, 2);
    wide.positiveSpans().add(0, 1).add(5, 1);
    wide.addPositiveDelta(1).addPositiveDelta(0);
    Appender app = LimitAppenders.histogramLimits(sink, LimitAppenders.HistogramLimits.of(1, 0));
    LimitAppenders.LimitExceeded e =
        assertThrows(
            LimitAppenders.LimitExceeded.class, () -> app.appendHistogram(0, A, 1, wide, null));
    assertEquals("histogram bucket limit exceeded", e.getMessage());
    assertEquals(ScrapeFailure.BUCKET_LIMIT, e.failure);
    assertSame(
        LimitAppenders.LimitExceeded.SAMPLES,
        LimitAppenders.LimitExceeded.SAMPLES.over(e),
        "sample_limit's error wins");
    assertSame(LimitAppenders.LimitExceeded.SAMPLES, e.over(LimitAppenders.LimitExceeded.SAMPLES));
  }
}
