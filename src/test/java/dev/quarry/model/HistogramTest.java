package dev.quarry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Native histograms: Prometheus' validation rules and wording, conversion, bucket bounds. */
class HistogramTest {

  /** Prometheus' "valid histogram" case: 5 + 5 bucketed observations and 2 in the zero bucket. */
  static Histogram valid() {
    Histogram h = new Histogram().set(1, 0.001, 2, 12, 19.4);
    h.positiveSpans().add(0, 2).add(1, 2);
    h.negativeSpans().add(0, 2).add(1, 2);
    for (long d : new long[] {1, 1, -1, 0}) {
      h.addPositiveDelta(d).addNegativeDelta(d);
    }
    return h;
  }

  @Test
  void validHistogramPasses() throws Exception {
    valid().validate();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            Named.<Consumer<Histogram>>of("too few buckets", h -> h.positiveSpans().add(2, 1)),
            "positive side: spans need 5 buckets, have 4 buckets: histogram spans specify"
                + " different number of buckets than provided"),
        Arguments.of(
            Named.<Consumer<Histogram>>of("negative offset", h -> h.negativeSpans().add(-1, 0)),
            "negative side: span number 3 with offset -1: histogram has a span whose offset is"
                + " negative"),
        Arguments.of(
            Named.<Consumer<Histogram>>of(
                "negative bucket",
                h -> {
                  h.positiveSpans().add(0, 1);
                  h.addPositiveDelta(-2);
                }),
            "positive side: bucket number 5 has observation count of -1: histogram has a bucket"
                + " whose observation count is negative"),
        Arguments.of(
            Named.<Consumer<Histogram>>of("count too small", h -> h.set(1, 0.001, 2, 11, 19.4)),
            "12 observations found in buckets, but the Count field is 11: histogram's observation"
                + " count should equal the number of observations found in the buckets (in absence"
                + " of NaN)"),
        Arguments.of(
            Named.<Consumer<Histogram>>of(
                "count too small with NaN sum", h -> h.set(1, 0.001, 2, 11, Double.NaN)),
            "12 observations found in buckets, but the Count field is 11: histogram's observation"
                + " count should be at least the number of observations found in the buckets"),
        Arguments.of(
            Named.<Consumer<Histogram>>of("schema 9", h -> h.set(9, 0.001, 2, 12, 19.4)),
            "histogram has an invalid schema, which must be between -4 and 8 for exponential"
                + " buckets, got schema 9"),
        Arguments.of(
            Named.<Consumer<Histogram>>of("schema -5", h -> h.set(-5, 0.001, 2, 12, 19.4)),
            "histogram has an invalid schema, which must be between -4 and 8 for exponential"
                + " buckets, got schema -5"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidHistogramIsRefusedWithPrometheusWording(Consumer<Histogram> change, String message) {
    Histogram h = valid();
    change.accept(h);
    assertEquals(message, assertThrows(InvalidHistogramException.class, h::validate).getMessage());
  }

  @Test
  void nanSumAllowsObservationsOutsideTheBuckets() throws Exception {
    valid().set(1, 0.001, 2, 13, Double.NaN).validate();
  }

  @Test
  void toFloatTurnsDeltasIntoAbsoluteCounts() throws Exception {
    FloatHistogram f = valid().hint(CounterResetHint.GAUGE).toFloat(new FloatHistogram());
    f.validate();
    assertEquals(12, f.count());
    assertEquals(2, f.zeroCount());
    assertEquals(CounterResetHint.GAUGE, f.hint());
    assertEquals(valid().positiveSpans(), f.positiveSpans());
    double[] counts = new double[f.positiveBucketCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = f.positiveCount(i);
    }
    assertEquals(List.of(1.0, 2.0, 1.0, 1.0), List.of(counts[0], counts[1], counts[2], counts[3]));
  }

  @Test
  void floatHistogramRefusesNegativeCountsButNotACountMismatch() throws Exception {
    FloatHistogram f = valid().toFloat(new FloatHistogram());
    f.set(1, 0.001, 2, 3, 19.4).validate(); // float rounding: Prometheus does not compare
    FloatHistogram bad = new FloatHistogram().set(0, 0, 0, 1, 1);
    bad.negativeSpans().add(0, 1);
    bad.addNegativeCount(-0.5);
    assertEquals(
        "negative side: bucket number 1 has observation count of -0.5: histogram has a bucket"
            + " whose observation count is negative",
        assertThrows(InvalidHistogramException.class, bad::validate).getMessage());
  }

  @Test
  void boundsAreThoseOfPrometheus() {
    assertEquals(1.0, HistogramBuckets.bound(0, 0));
    assertEquals(0.5, HistogramBuckets.bound(-1, 0));
    assertEquals(2.0, HistogramBuckets.bound(1, 0));
    assertEquals(2 * 0.7071067811865475, HistogramBuckets.bound(1, 1)); // the table, doubled
    assertEquals(2 * 0.5452538663326288, HistogramBuckets.bound(1, 3));
    // Prometheus' table, not 2^(6/256)/2 correctly rounded (0.5081891574554765).
    assertEquals(0.5081891574554764, HistogramBuckets.bound(-250, 8));
    assertEquals(4.0, HistogramBuckets.bound(1, -1));
    assertEquals(65536.0, HistogramBuckets.bound(1, -4));
    assertEquals(Double.MAX_VALUE, HistogramBuckets.bound(1024, 0));
    assertEquals(Double.POSITIVE_INFINITY, HistogramBuckets.bound(1025, 0));
    assertEquals(Double.MAX_VALUE, HistogramBuckets.bound(256, -2));
  }

  @Test
  void bucketsIterateFromTheLowestValueUp() {
    FloatHistogram f = new FloatHistogram().set(0, 0.6, 3, 10, 5);
    f.positiveSpans().add(0, 2);
    f.addPositiveCount(1).addPositiveCount(2);
    f.negativeSpans().add(1, 1);
    f.addNegativeCount(4);
    assertEquals(
        "[[-2.0,-1.0):4.0, [-0.6,0.6]:3.0, (0.6,1.0]:1.0, (1.0,2.0]:2.0]",
        f.allBuckets().toString());
    assertEquals("[(0.5,1.0]:1.0, (1.0,2.0]:2.0]", f.positiveBuckets().toString());
    assertEquals("[[-2.0,-1.0):4.0]", f.negativeBuckets().toString());
    assertEquals(1, f.positiveBuckets().get(1).index());
  }

  @Test
  void compactDropsEmptyBucketsAndJoinsSpans() throws Exception {
    Histogram h = new Histogram().set(0, 0, 0, 3, 1);
    h.positiveSpans().add(0, 4);
    for (long d : new long[] {1, -1, 0, 2}) {
      h.addPositiveDelta(d); // absolute 1, 0, 0, 2
    }
    h.negativeSpans().add(-3, 3);
    for (long d : new long[] {0, 0, 0}) {
      h.addNegativeDelta(d);
    }
    h.validate();
    h.compact().validate();
    assertEquals("[0:1 2:1]", h.positiveSpans().toString());
    assertEquals(2, h.positiveBucketCount());
    assertEquals(1, h.positiveDelta(0));
    assertEquals(1, h.positiveDelta(1), "deltas against the kept buckets: 1 then 2");
    assertEquals("[]", h.negativeSpans().toString());
    assertEquals(0, h.negativeBucketCount());

    FloatHistogram f = new FloatHistogram().set(0, 0, 0, 6, 1);
    f.positiveSpans().add(-2, 2).add(0, 2); // adjacent spans
    for (double c : new double[] {0, 2, 0, 4}) {
      f.addPositiveCount(c);
    }
    f.compact().validate();
    assertEquals("[-1:1 1:1]", f.positiveSpans().toString());
    assertEquals(List.of(2.0, 4.0), List.of(f.positiveCount(0), f.positiveCount(1)));
    assertEquals(
        "[(0.25,0.5]:2.0, (1.0,2.0]:4.0]", f.positiveBuckets().toString(), "bounds are kept");
  }
}
