package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Matcher;
import dev.quarry.storage.SampleIterator;
import dev.quarry.storage.SampleRejectedException;
import dev.quarry.storage.Series;
import dev.quarry.storage.WalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramStorageTest {
  private static final Labels SERIES = Labels.of("__name__", "rpc_seconds", "job", "a");

  @TempDir Path dir;

  /** Random histograms: counters that grow, with schema and span changes, resets, both sides. */
  private static final class Gen {
    final Random rnd;
    int schema = 3;
    int[] offsets = {-2, 3};
    int[] lengths = {4, 6};
    int negBuckets = 2;
    long[] abs = new long[12];
    long zc;
    double sum;

    Gen(long seed) {
      rnd = new Random(seed);
    }

    Histogram next() {
      int r = rnd.nextInt(40);
      if (r == 0) {
        schema = rnd.nextInt(13) - 4; // a schema change
      } else if (r == 1) {
        offsets = new int[] {rnd.nextInt(10) - 5};
        lengths = new int[] {rnd.nextInt(20) + 1}; // a span change
      } else if (r == 2) {
        java.util.Arrays.fill(abs, 0); // a counter reset
        zc = 0;
        sum = 0;
      } else if (r == 3) {
        offsets = new int[0];
        lengths = new int[0];
        negBuckets = 0; // empty spans
      }
      int pos = 0;
      for (int l : lengths) {
        pos += l;
      }
      int n = pos + negBuckets;
      if (abs.length < n) {
        abs = java.util.Arrays.copyOf(abs, n);
      }
      Histogram h = new Histogram();
      long count = zc += rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        abs[i] += rnd.nextInt(5);
        count += abs[i];
      }
      sum += rnd.nextDouble() * 10;
      h.set(schema, 1e-128, zc, count, sum);
      for (int i = 0; i < offsets.length; i++) {
        h.positiveSpans().add(offsets[i], lengths[i]);
      }
      if (negBuckets > 0) {
        h.negativeSpans().add(0, negBuckets);
      }
      long prev = 0;
      for (int i = 0; i < pos; i++) {
        h.addPositiveDelta(abs[i] - prev);
        prev = abs[i];
      }
      prev = 0;
      for (int i = pos; i < n; i++) {
        h.addNegativeDelta(abs[i] - prev);
        prev = abs[i];
      }
      return h;
    }
  }

  private static FloatHistogram scaled(Histogram h, Random rnd) {
    FloatHistogram f = h.toFloat(new FloatHistogram());
    FloatHistogram out = new FloatHistogram();
    double k = 0.5 + rnd.nextDouble();
    out.set(f.schema(), f.zeroThreshold(), f.zeroCount() * k, f.count() * k, f.sum());
    out.positiveSpans().copyFrom(f.positiveSpans());
    out.negativeSpans().copyFrom(f.negativeSpans());
    for (int i = 0; i < f.positiveBucketCount(); i++) {
      out.addPositiveCount(f.positiveCount(i) * k);
    }
    for (int i = 0; i < f.negativeBucketCount(); i++) {
      out.addNegativeCount(f.negativeCount(i) * k);
    }
    return out;
  }

  @Test
  void headChunksRoundTripManyRandomHistogramsIntegerAndFloat() throws Exception {
    for (boolean floats : new boolean[] {false, true}) {
      Gen g = new Gen(floats ? 7 : 42);
      HeadSeries s = new HeadSeries(1, SERIES);
      List<FloatHistogram> want = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        Histogram h = g.next();
        h.validate();
        FloatHistogram fh = floats ? scaled(h, g.rnd) : null;
        long t = 15_000L * i + g.rnd.nextInt(50);
        Histogram ih = floats ? null : h;
        assertEquals(
            HeadSeries.Verdict.OK, s.commitHistogram(null, t, ih, fh, 120, true), "sample " + i);
        want.add(floats ? fh : h.toFloat(new FloatHistogram()));
      }
      assertTrue(s.chunkCount() > 3000 / 120, "new chunks on schema/span changes and resets");
      SampleIterator it =
          new ChunkSeries(SERIES, List.of(s.chunks(0, Long.MAX_VALUE)), 0, Long.MAX_VALUE)
              .iterator();
      for (int i = 0; i < want.size(); i++) {
        assertTrue(it.next(), "sample " + i);
        FloatHistogram got = it.floatHistogram();
        assertEquals(want.get(i).toString(), got.toString(), "sample " + i);
      }
      assertFalse(it.next());
    }
  }

  @Test
  void walRecordsRoundTrip() throws Exception {
    Gen g = new Gen(3);
    long[] refs = {5, 3, 900};
    long[] ts = {1000, 999, 1_000_000};
    Histogram[] hs = {g.next(), g.next(), new Histogram()};
    FloatHistogram[] fs = {scaled(g.next(), g.rnd), new FloatHistogram(), scaled(g.next(), g.rnd)};
    ByteSink out = new ByteSink(64);
    WalCodec.encodeHistograms(out, refs, ts, hs, 3);
    WalRecord.Histograms h = (WalRecord.Histograms) WalCodec.decode(out.array(), 0, out.length());
    assertEquals(List.of(hs), List.of(h.histograms()));
    assertEquals(List.of(5L, 3L, 900L), List.of(h.refs()[0], h.refs()[1], h.refs()[2]));
    assertEquals(999, h.timestamps()[1]);
    out = new ByteSink(64);
    WalCodec.encodeFloatHistograms(out, refs, ts, fs, 3);
    WalRecord.FloatHistograms f =
        (WalRecord.FloatHistograms) WalCodec.decode(out.array(), 0, out.length());
    assertEquals(List.of(fs), List.of(f.histograms()));
    byte[] cut = java.util.Arrays.copyOf(out.array(), out.length() - 3);
    assertThrows(RuntimeException.class, () -> WalCodec.decode(cut, 0, cut.length));
  }

  @Test
  void appendedHistogramsAreQueriedInterleavedWithFloatsAndSurviveRestart() throws Exception {
    Gen g = new Gen(11);
    List<String> want = new ArrayList<>();
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      long ref = 0;
      for (int i = 0; i < 200; i++) {
        Appender a = fs.appender();
        Histogram h = g.next();
        ref = a.appendHistogram(ref, SERIES, 15_000L * i, h, null);
        want.add(h.toFloat(new FloatHistogram()).toString());
        h.reset(); // the caller reuses its holder: the store kept a copy
        a.commit();
      }
      Appender a = fs.appender();
      Histogram other = g.next();
      assertThrows(
          SampleRejectedException.class,
          () -> a.appendHistogram(0, SERIES, 15_000L * 199, other, null),
          "same timestamp, another histogram: duplicate");
      assertThrows(
          SampleRejectedException.class,
          () -> a.append(0, SERIES, 15_000L * 199, 1.0),
          "same timestamp, a float: duplicate");
      a.append(0, SERIES, 15_000L * 200, StaleMarker.STALE_NAN);
      a.commit();
      want.add("stale");
      Appender b = fs.appender();
      b.appendHistogram(0, SERIES, 15_000L * 201, g.next(), null);
      b.commit();
      check(fs, want, 202);
    }
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      check(fs, want, 202);
    }
  }

  private static void check(FileStorage fs, List<String> want, int total) {
    List<Series> sel =
        fs.querier().select(0, Long.MAX_VALUE, List.of(Matcher.eq("__name__", "rpc_seconds")));
    assertEquals(1, sel.size());
    SampleIterator it = sel.get(0).iterator();
    int n = 0;
    while (it.next()) {
      assertEquals(15_000L * n, it.timestamp());
      if (n < want.size() && want.get(n).equals("stale")) {
        assertNull(it.floatHistogram(), "the staleness marker is a float sample");
        assertTrue(StaleMarker.isStale(it.value()));
      } else if (n < want.size()) {
        assertEquals(want.get(n), it.floatHistogram().toString(), "sample " + n);
      } else {
        assertTrue(it.floatHistogram() != null);
      }
      n++;
    }
    assertEquals(total, n);
  }

  /** Head chunk bytes per sample of a client_java-like histogram (~20 buckets, 15 s). */
  @Test
  void bytesPerNativeHistogramSample() {
    Random rnd = new Random(1);
    HeadSeries s = new HeadSeries(1, SERIES);
    long[] abs = new long[20];
    long count = 0;
    double sum = 0;
    int samples = 480; // 2 h at 15 s
    for (int i = 0; i < samples; i++) {
      Histogram h = new Histogram();
      long c = 0;
      for (int j = 0; j < abs.length; j++) {
        abs[j] += rnd.nextInt(j < 5 || j > 15 ? 2 : 30);
        c += abs[j];
      }
      count = c;
      sum += rnd.nextDouble() * count * 0.01;
      h.set(3, 1e-128, 0, count, sum);
      h.positiveSpans().add(-4, 12).add(2, 8);
      long prev = 0;
      for (long a : abs) {
        h.addPositiveDelta(a - prev);
        prev = a;
      }
      s.commitHistogram(null, 15_000L * i + rnd.nextInt(20), h, null, 120, true);
    }
    long bytes = 0;
    for (XorChunk c : s.chunks(0, Long.MAX_VALUE)) {
      bytes += c.data().length;
    }
    double perSample = (double) bytes / samples;
    System.out.printf("native histogram head chunks: %.1f bytes/sample (20 buckets)%n", perSample);
    assertTrue(perSample < 40, "compact: " + perSample);
  }

  @Test
  void blockCutKeepsHistogramsAndFloatsInTimeOrder() throws Exception {
    FileStorageSettings settings =
        FileStorageSettings.DEFAULTS.withBlockRange(java.time.Duration.ofSeconds(10));
    Gen g = new Gen(5);
    List<String> want = new ArrayList<>();
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      for (int i = 0; i < 30; i++) {
        Appender a = fs.appender();
        if (i == 15) {
          a.append(0, SERIES, 1000L * i, StaleMarker.STALE_NAN);
          want.add("stale");
        } else {
          Histogram h = g.next();
          if (i % 2 == 0) {
            a.appendHistogram(0, SERIES, 1000L * i, h, null);
            want.add(h.toFloat(new FloatHistogram()).toString());
          } else {
            FloatHistogram f = scaled(h, g.rnd);
            a.appendHistogram(0, SERIES, 1000L * i, null, f);
            want.add(f.toString());
          }
        }
        a.commit();
      }
      assertTrue(fs.cutIfNeeded(1_000_000));
      assertEquals(2, fs.blocks().size());
      assertEquals(
          20, fs.blocks().get(0).stats().numSamples() + fs.blocks().get(1).stats().numSamples());
      checkEvery(fs, want, 1000);
    }
    try (FileStorage fs = FileStorage.open(dir, settings)) {
      checkEvery(fs, want, 1000);
    }
  }

  private static void checkEvery(FileStorage fs, List<String> want, long step) {
    List<Series> sel =
        fs.querier().select(0, Long.MAX_VALUE, List.of(Matcher.eq("__name__", "rpc_seconds")));
    assertEquals(1, sel.size());
    SampleIterator it = sel.get(0).iterator();
    for (int n = 0; n < want.size(); n++) {
      assertTrue(it.next(), "sample " + n);
      assertEquals(step * n, it.timestamp());
      if (want.get(n).equals("stale")) {
        assertNull(it.floatHistogram());
        assertTrue(StaleMarker.isStale(it.value()));
      } else {
        assertEquals(want.get(n), it.floatHistogram().toString(), "sample " + n);
      }
    }
    assertFalse(it.next());
  }

  /** Block bytes (chunks and index files) per sample of a client_java-like histogram. */
  @Test
  void blockBytesPerNativeHistogramSample() throws Exception {
    Random rnd = new Random(2);
    long[] abs = new long[20];
    double sum = 0;
    int samples = 2 * 480; // 4 h at 15 s: a full 2 h block is cut
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      for (int i = 0; i < samples; i++) {
        Histogram h = new Histogram();
        long c = 0;
        for (int j = 0; j < abs.length; j++) {
          abs[j] += rnd.nextInt(j < 5 || j > 15 ? 2 : 30);
          c += abs[j];
        }
        sum += rnd.nextDouble() * c * 0.01;
        h.set(3, 1e-128, 0, c, sum);
        h.positiveSpans().add(-4, 12).add(2, 8);
        long prev = 0;
        for (long a : abs) {
          h.addPositiveDelta(a - prev);
          prev = a;
        }
        Appender a = fs.appender();
        a.appendHistogram(0, SERIES, 15_000L * i + rnd.nextInt(20), h, null);
        a.commit();
      }
      assertTrue(fs.cutIfNeeded(15_000L * samples + 3_600_000));
      BlockMeta m = fs.blocks().get(0);
      Path b = dir.resolve(m.ulid());
      long bytes = java.nio.file.Files.size(b.resolve("chunks"));
      double per = (double) bytes / m.stats().numSamples();
      System.out.printf(
          "native histogram block: %d samples, chunks file %.1f bytes/sample (20 buckets)%n",
          m.stats().numSamples(), per);
      assertTrue(per < 40, "compact: " + per);
    }
  }

  @Test
  void remoteWriteFeedSeesTheSameHistogramRecordsFromMemoryAndFromTheFile() throws Exception {
    Gen g = new Gen(9);
    FileStorageSettings settings =
        FileStorageSettings.DEFAULTS
            .withAgentMode(true)
            .withWalSync(FileStorageSettings.WalSync.EVERY_COMMIT);
    try (FileStorage fs = FileStorage.open(dir, settings);
        FedCursor fed = (FedCursor) fs.walSource().open(0, 0)) {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Appender a = fs.appender();
        a.appendHistogram(0, SERIES, 1000L * i, g.next(), null);
        a.appendHistogram(0, Labels.of("__name__", "f"), 1000L * i, null, scaled(g.next(), g.rnd));
        a.commit();
        got.addAll(drain(fed));
      }
      try (WalTailer file = new WalTailer(fs.walDir(), 0, 0)) {
        assertEquals(drain(file), got);
      }
      assertEquals(0, fed.fromFile());
      assertEquals(11, fed.fromMemory()); // series, then 5 x (histograms, float histograms)
    }
  }

  private static List<String> drain(dev.quarry.storage.WalSource.Cursor c) throws Exception {
    List<String> out = new ArrayList<>();
    dev.quarry.storage.WalSource.Entry e;
    while ((e = c.next()) != null) {
      WalRecord r = e.record();
      String d;
      if (r instanceof WalRecord.Histograms h) {
        d =
            "h "
                + java.util.Arrays.toString(h.refs())
                + java.util.Arrays.toString(h.timestamps())
                + java.util.Arrays.toString(h.histograms());
      } else if (r instanceof WalRecord.FloatHistograms h) {
        d =
            "fh "
                + java.util.Arrays.toString(h.refs())
                + java.util.Arrays.toString(h.timestamps())
                + java.util.Arrays.toString(h.histograms());
      } else {
        d = r.toString();
      }
      out.add(e.segment() + ":" + e.endOffset() + " " + d);
    }
    return out;
  }
}
