package dev.quarry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Lowering a native histogram's schema: buckets merge as Prometheus' ReduceResolution merges. */
class SchemaReductionTest {

  /** spans as offset,length pairs; bucket counts absolute. */
  static Stream<Arguments> cases() {
    return Stream.of(
        // Prometheus' own case: schema 0 to -1, an empty span and a gap that stays a gap.
        Arguments.of(
            0,
            -1,
            new int[] {0, 4, 0, 0, 3, 2},
            new long[] {1, 3, 1, 2, 1, 1},
            new int[] {0, 3, 1, 1},
            new long[] {1, 4, 2, 2}),
        Arguments.of(
            0,
            -2,
            new int[] {0, 4, 0, 0, 3, 2},
            new long[] {1, 3, 1, 2, 1, 1},
            new int[] {0, 3},
            new long[] {1, 6, 2}),
        // Negative indices: -2 and -1 land on -1 and 0 of the lower schema.
        Arguments.of(
            0, -1, new int[] {-2, 3}, new long[] {4, 5, 6}, new int[] {-1, 2}, new long[] {4, 11}),
        // Eight steps at once: every bucket in (1, 2] merges into index 1 of schema 0.
        Arguments.of(
            8,
            0,
            new int[] {1, 3, 10, 2},
            new long[] {1, 1, 1, 1, 1},
            new int[] {1, 1},
            new long[] {5}),
        // Schema 3 to 2: a gap closes when the buckets land side by side, else stays.
        Arguments.of(
            3, 2, new int[] {1, 1, 1, 1}, new long[] {7, 9}, new int[] {1, 2}, new long[] {7, 9}),
        Arguments.of(
            3,
            2,
            new int[] {2, 1, 3, 1},
            new long[] {7, 9},
            new int[] {1, 1, 1, 1},
            new long[] {7, 9}),
        // Not lower: left as it is.
        Arguments.of(
            2, 2, new int[] {0, 2}, new long[] {3, 4}, new int[] {0, 2}, new long[] {3, 4}));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void integerHistogram(
      int from, int to, int[] spans, long[] counts, int[] wantSpans, long[] wantCounts) {
    long total = Arrays.stream(counts).sum() * 2 + 3;
    Histogram h = new Histogram().set(from, 0.001, 3, total, 42.5);
    h.hint(CounterResetHint.NOT_COUNTER_RESET);
    long prev = 0;
    for (int i = 0; i < spans.length; i += 2) {
      h.positiveSpans().add(spans[i], spans[i + 1]);
      h.negativeSpans().add(spans[i], spans[i + 1]);
    }
    for (long c : counts) {
      h.addPositiveDelta(c - prev).addNegativeDelta(c - prev);
      prev = c;
    }
    SchemaReduction.reduce(h, to);

    assertEquals(to, h.schema());
    assertEquals(spans(wantSpans), h.positiveSpans());
    assertEquals(spans(wantSpans), h.negativeSpans());
    long[] pos = new long[h.positiveBucketCount()];
    long[] neg = new long[h.negativeBucketCount()];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = (i == 0 ? 0 : pos[i - 1]) + h.positiveDelta(i);
      neg[i] = (i == 0 ? 0 : neg[i - 1]) + h.negativeDelta(i);
    }
    assertEquals(Arrays.toString(wantCounts), Arrays.toString(pos));
    assertEquals(Arrays.toString(wantCounts), Arrays.toString(neg));
    assertEquals(total, h.count());
    assertEquals(3, h.zeroCount());
    assertEquals(42.5, h.sum());
    assertEquals(0.001, h.zeroThreshold());
    assertEquals(CounterResetHint.NOT_COUNTER_RESET, h.hint());
    assertDoesValidate(h);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void floatHistogram(
      int from, int to, int[] spans, long[] counts, int[] wantSpans, long[] wantCounts) {
    double total = Arrays.stream(counts).sum() + 0.5;
    FloatHistogram h = new FloatHistogram().set(from, 0, 0.5, total, 7);
    for (int i = 0; i < spans.length; i += 2) {
      h.positiveSpans().add(spans[i], spans[i + 1]);
    }
    for (long c : counts) {
      h.addPositiveCount(c);
    }
    SchemaReduction.reduce(h, to);

    assertEquals(to, h.schema());
    assertEquals(spans(wantSpans), h.positiveSpans());
    assertEquals(0, h.negativeBucketCount());
    double[] pos = new double[h.positiveBucketCount()];
    double[] want = new double[wantCounts.length];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = h.positiveCount(i);
    }
    for (int i = 0; i < want.length; i++) {
      want[i] = wantCounts[i];
    }
    assertEquals(Arrays.toString(want), Arrays.toString(pos));
    assertEquals(total, h.count());
  }

  private static void assertDoesValidate(Histogram h) {
    try {
      h.validate();
    } catch (InvalidHistogramException e) {
      throw new AssertionError(e);
    }
  }

  private static Spans spans(int[] pairs) {
    Spans s = new Spans();
    for (int i = 0; i < pairs.length; i += 2) {
      s.add(pairs[i], pairs[i + 1]);
    }
    return s;
  }
}
