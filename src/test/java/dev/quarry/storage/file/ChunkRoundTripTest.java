package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.quarry.model.StaleMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkRoundTripTest {

  static Stream<Arguments> cases() {
    Random r = new Random(42);
    List<Sample> counter = new ArrayList<>();
    double c = 0;
    for (int i = 0; i < 120; i++) {
      c += r.nextInt(50);
      counter.add(new Sample(1_700_000_000_000L + 15_000L * i + r.nextInt(3), c));
    }
    List<Sample> gauge = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      gauge.add(new Sample(1_700_000_000_000L + 15_000L * i, r.nextGaussian() * 1e6));
    }
    return Stream.of(
        arguments(named("single sample", List.of(new Sample(5, 1.5)))),
        arguments(named("counter with scrape jitter", counter)),
        arguments(named("random gauge", gauge)),
        arguments(
            named(
                "NaN, stale NaN and NaN again keep their bits",
                List.of(
                    new Sample(1000, Double.NaN),
                    new Sample(2000, StaleMarker.STALE_NAN),
                    new Sample(3000, Double.longBitsToDouble(0x7ff8000000000001L)),
                    new Sample(4000, 1.0)))),
        arguments(
            named(
                "infinities and signed zeros",
                List.of(
                    new Sample(0, Double.POSITIVE_INFINITY),
                    new Sample(1, Double.NEGATIVE_INFINITY),
                    new Sample(2, -0.0),
                    new Sample(3, 0.0),
                    new Sample(4, Double.MIN_VALUE),
                    new Sample(5, Double.MAX_VALUE)))),
        arguments(
            named(
                "equal timestamps",
                List.of(
                    new Sample(10, 1), new Sample(10, 2), new Sample(10, 3), new Sample(11, 3)))),
        arguments(
            named(
                "every delta-of-delta bucket",
                List.of(
                    new Sample(-5_000, 1),
                    new Sample(0, 1),
                    new Sample(5_000, 1),
                    new Sample(5_000 + 5_000 + 8_000, 2), // 14-bit bucket
                    new Sample(18_000 + 13_000 + 60_000, 2), // 17-bit bucket
                    new Sample(91_000 + 73_000 + 500_000, 2), // 20-bit bucket
                    new Sample(664_000 + 573_000 + 10_000_000_000L, 2), // 64-bit bucket
                    new Sample(10_001_237_000L + 1, 3)))),
        arguments(
            named(
                "negative timestamps",
                List.of(new Sample(-30_000, 1), new Sample(-15_000, 2), new Sample(0, 3)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void roundTripKeepsTimestampsAndValueBits(List<Sample> samples) {
    ChunkEncoder enc = new ChunkEncoder();
    for (Sample s : samples) {
      enc.append(s.timestampMillis(), s.value());
    }
    assertReadsBack(samples, enc);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void samplesKnownInAdvanceReadBackTheSame(List<Sample> samples) {
    long[] ts = samples.stream().mapToLong(Sample::timestampMillis).toArray();
    double[] vs = samples.stream().mapToDouble(Sample::value).toArray();
    ChunkEncoder whole = new ChunkEncoder();
    whole.appendAll(ts, vs, 0, ts.length, new long[ts.length]);
    assertReadsBack(samples, whole);
    // In two parts, the first ending anywhere: the second continues from the first's state.
    for (int cut = 0; cut <= ts.length; cut++) {
      ChunkEncoder parts = new ChunkEncoder();
      parts.appendAll(ts, vs, 0, cut, new long[ts.length]);
      parts.appendAll(ts, vs, cut, ts.length, new long[ts.length]);
      assertReadsBack(samples, parts);
    }
  }

  private static void assertReadsBack(List<Sample> samples, ChunkEncoder enc) {
    ChunkIterator it = new ChunkIterator(enc.bytes());
    assertEquals(samples.size(), it.count());
    for (Sample s : samples) {
      assertEquals(true, it.next());
      assertEquals(s.timestampMillis(), it.timestamp());
      assertEquals(
          Long.toHexString(Double.doubleToRawLongBits(s.value())),
          Long.toHexString(Double.doubleToRawLongBits(it.value())),
          "value at t=" + s.timestampMillis());
    }
    assertEquals(false, it.next());
    assertEquals(samples.get(0).timestampMillis(), enc.minTime());
    assertEquals(samples.get(samples.size() - 1).timestampMillis(), enc.maxTime());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aChunkReadWhileOpenShowsTheSamplesSoFar(List<Sample> samples) {
    ChunkEncoder enc = new ChunkEncoder();
    for (int n = 0; n < samples.size(); n++) {
      enc.append(samples.get(n).timestampMillis(), samples.get(n).value());
      ChunkIterator it = new ChunkIterator(enc.bytes());
      int seen = 0;
      while (it.next()) {
        seen++;
      }
      assertEquals(n + 1, seen);
    }
  }

  @org.junit.jupiter.api.Test
  void regularTimestampsAndConstantValuesCostAboutTwoBitsPerSample() {
    ChunkEncoder enc = new ChunkEncoder();
    for (int i = 0; i < 120; i++) {
      enc.append(1_700_000_000_000L + 15_000L * i, 42.0);
    }
    // header, first timestamp and value, second delta: ~20 bytes; then 2 bits per sample
    org.junit.jupiter.api.Assertions.assertTrue(
        enc.size() < 20 + 120 * 2 / 8 + 2, "size " + enc.size());
  }

  @org.junit.jupiter.api.Test
  void aNarrowWindowReplacesAWideOneWhenThatIsShorter() {
    // One change of 63 bits opens a wide window; then only the lowest bit moves. Keeping the wide
    // window costs 65 bits per sample; a new narrow one (31 leading zeros at most, 33 bits) costs
    // 46 bits once and 35 bits per sample after it.
    List<Sample> samples = new ArrayList<>();
    samples.add(new Sample(0, 0.0));
    long wide = 0x7fe0000000000001L;
    for (int i = 1; i <= 101; i++) {
      samples.add(new Sample(15_000L * i, Double.longBitsToDouble(wide ^ ((i & 1) == 0 ? 1 : 0))));
    }
    ChunkEncoder enc = new ChunkEncoder();
    for (Sample s : samples) {
      enc.append(s.timestampMillis(), s.value());
    }
    // Header, first sample, second delta, the wide change (~25 bytes) and 100 changes of the
    // lowest bit: 46 + 99 * 35 bits with the narrow window, 100 * 65 with the wide one.
    int narrow = 25 + (46 + 99 * 35 + 100) / 8;
    org.junit.jupiter.api.Assertions.assertTrue(enc.size() <= narrow, "size " + enc.size());
    roundTripKeepsTimestampsAndValueBits(samples);
  }

  @org.junit.jupiter.api.Test
  void samplesKnownInAdvanceTakeFewerBitsWhenLowBitsComeAndGo() {
    // Counters growing by a small step from a fractional start: the lowest set bit of each
    // change moves up and down, so the streaming encoder keeps opening narrow windows.
    Random r = new Random(3);
    int n = 480;
    long[] ts = new long[n];
    double[] vs = new double[n];
    int streamed = 0;
    int known = 0;
    for (int series = 0; series < 50; series++) {
      double start = r.nextInt(1_000_000) + r.nextInt(1000) / 1000.0;
      int step = 1 + r.nextInt(7);
      ChunkEncoder stream = new ChunkEncoder();
      for (int i = 0; i < n; i++) {
        ts[i] = 1_700_000_000_000L + 15_000L * i;
        vs[i] = start + step * (i + 1);
        stream.append(ts[i], vs[i]);
      }
      ChunkEncoder block = new ChunkEncoder();
      block.appendAll(ts, vs, 0, n, new long[n]);
      streamed += stream.size();
      known += block.size();
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        samples.add(new Sample(ts[i], vs[i]));
      }
      assertReadsBack(samples, block);
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        known < streamed * 0.95, "known in advance " + known + " bytes, streamed " + streamed);
  }

  @org.junit.jupiter.api.Test
  void truncatedChunkIsReportedNotMisread() {
    ChunkEncoder enc = new ChunkEncoder();
    for (int i = 0; i < 50; i++) {
      enc.append(i * 1000L, Math.random());
    }
    byte[] b = enc.bytes();
    ChunkIterator it = new ChunkIterator(java.util.Arrays.copyOf(b, b.length / 2));
    org.junit.jupiter.api.Assertions.assertThrows(
        CorruptDataException.class,
        () -> {
          while (it.next()) {
            // drain
          }
        });
  }
}
