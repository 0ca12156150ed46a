package dev.quarry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Sums, differences and reset detection of float histograms, on the lower schema. */
class FloatHistogramsTest {
  /** Schema 1 buckets 1..4 (bounds 2^0.5, 2, 2^1.5, 4) with counts 1, 2, 3, 4. */
  private static FloatHistogram fine() {
    FloatHistogram h = new FloatHistogram().set(1, 0.001, 0, 10, 20);
    h.positiveSpans().add(1, 4);
    for (int c = 1; c <= 4; c++) {
      h.addPositiveCount(c);
    }
    return h;
  }

  /** Schema 0 buckets 1 and 2 ((1, 2] and (2, 4]) with counts 5 and 7. */
  private static FloatHistogram coarse() {
    FloatHistogram h = new FloatHistogram().set(0, 0.001, 1, 13, 30);
    h.positiveSpans().add(1, 2);
    h.addPositiveCount(5).addPositiveCount(7);
    return h;
  }

  @Test
  void addMergesTheFinerSchemaIntoTheCoarserWhicheverComesFirst() {
    for (FloatHistogram sum :
        new FloatHistogram[] {
          FloatHistograms.add(fine(), coarse()), FloatHistograms.add(coarse(), fine())
        }) {
      assertEquals(0, sum.schema());
      assertEquals(23, sum.count());
      assertEquals(50, sum.sum());
      assertEquals(1, sum.zeroCount());
      // fine buckets 1, 2 fall into (1, 2]; 3, 4 into (2, 4]
      assertEquals("[(1.0,2.0]:8.0, (2.0,4.0]:14.0]", sum.positiveBuckets().toString());
    }
  }

  @Test
  void subDropsBucketsThatCancelOut() {
    FloatHistogram d = FloatHistograms.sub(coarse(), coarse());
    assertEquals(0, d.positiveBucketCount());
    assertEquals(0, d.count());
  }

  @Test
  void resetWhenABucketLosesObservationsOrTheSchemaGetsFiner() {
    FloatHistogram prev = coarse();
    FloatHistogram more = FloatHistograms.scale(coarse(), 2);
    assertFalse(FloatHistograms.detectReset(more, prev));
    FloatHistogram shifted = new FloatHistogram().set(0, 0.001, 1, 13, 30);
    shifted.positiveSpans().add(1, 2);
    shifted.addPositiveCount(6).addPositiveCount(6); // same count, one bucket lost one
    assertTrue(FloatHistograms.detectReset(shifted, prev));
    assertTrue(FloatHistograms.detectReset(FloatHistograms.scale(fine(), 10), prev));
    assertFalse(
        FloatHistograms.detectReset(more.hint(CounterResetHint.NOT_COUNTER_RESET), shifted));
  }

  @Test
  void zeroBucketsOfDifferentWidthsWidenToABucketBoundary() {
    FloatHistogram narrow = coarse(); // zero threshold 0.001, buckets (1, 2] and (2, 4]
    FloatHistogram wide = new FloatHistogram().set(0, 1.5, 2, 2, 0);
    FloatHistogram sum = FloatHistograms.add(narrow, wide);
    // 1.5 falls within the populated (1, 2]: the threshold rises to 2 and that bucket joins it
    assertEquals(2, sum.zeroThreshold());
    assertEquals(1 + 2 + 5, sum.zeroCount());
    assertEquals("[(2.0,4.0]:7.0]", sum.positiveBuckets().toString());
    assertEquals(15, sum.count());
  }
}
