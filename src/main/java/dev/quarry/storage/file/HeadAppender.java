package dev.quarry.storage.file;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.InvalidHistogramException;
import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.Exemplar;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.SampleRejectedException;
import dev.quarry.storage.SampleRejectedException.Reason;
import dev.quarry.storage.WalRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch of appends to the file store. Samples are checked against the head as they arrive (out
 * of order, duplicate, below the head's valid range) and buffered in parallel arrays; {@link
 * #commit()} encodes them into one WAL write (series records for new refs, one sample record, one
 * metadata record), then applies them to the head. A rollback writes nothing.
 *
 * <p>Used by one thread at a time; many appenders may commit concurrently.
 *
 * <p>Exemplars are written to the WAL (for remote write), not kept in the head.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private final WalWriter wal;
  private final int samplesPerChunk;
  private final boolean keepChunks;

  private final AppendScratch pool;
  private AppendScratch.Batch scratch;
  private HeadSeries[] series;
  private long[] refs;
  private long[] ts;
  private double[] vs;
  private int n;
  private final List<HeadSeries> metaSeries = new ArrayList<>();
  private final List<WalRecord.RefMetadata> metadata = new ArrayList<>();
  private final List<HeadSeries> exSeries = new ArrayList<>();
  private final List<WalRecord.RefExemplar> exemplars = new ArrayList<>();
  private final List<Pending> hists = new ArrayList<>(0);
  private final List<Pending> fhists = new ArrayList<>(0);
  private boolean done;

  /**
   * {@code pool}: the store's batch arrays and WAL buffers, taken here and given back when done.
   */
  HeadAppender(Head head, WalWriter wal, FileStorageSettings settings, AppendScratch pool) {
    this.head = head;
    this.wal = wal;
    this.samplesPerChunk = settings.samplesPerChunk();
    this.keepChunks = !settings.agentMode();
    this.pool = pool;
    AppendScratch.Batch sc = pool.takeBatch();
    scratch = sc;
    series = sc.series;
    refs = sc.refs;
    ts = sc.ts;
    vs = sc.vs;
  }

  /** Returns the batch arrays to the pool (the appender is done). */
  private void releaseScratch() {
    AppendScratch.Batch sc = scratch;
    if (sc == null) {
      return;
    }
    scratch = null;
    Arrays.fill(series, 0, n, null);
    sc.series = series;
    sc.refs = refs;
    sc.ts = ts;
    sc.vs = vs;
    pool.giveBatch(sc);
  }

  private HeadSeries resolve(long ref, Labels labels) {
    HeadSeries s = ref != 0 ? head.get(ref) : null;
    if (s != null) {
      return s;
    }
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException(
          "append without labels for unknown series ref " + ref + ": empty label set");
    }
    return head.getOrCreate(labels);
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    check();
    HeadSeries s = resolve(ref, labels);
    if (t < head.minValidTime()) {
      throw new SampleRejectedException(Reason.OUT_OF_BOUNDS);
    }
    switch (s.check(this, t, v)) {
      case OUT_OF_ORDER -> throw new SampleRejectedException(Reason.OUT_OF_ORDER);
      case DUPLICATE -> throw new SampleRejectedException(Reason.DUPLICATE);
      case REPEAT -> {
        return s.ref;
      }
      case OK -> {
        // buffered below
      }
    }
    if (n == series.length) {
      int cap = n * 2;
      series = Arrays.copyOf(series, cap);
      refs = Arrays.copyOf(refs, cap);
      ts = Arrays.copyOf(ts, cap);
      vs = Arrays.copyOf(vs, cap);
    }
    series[n] = s;
    refs[n] = s.ref;
    ts[n] = t;
    vs[n] = v;
    n++;
    return s.ref;
  }

  /**
   * Buffers a native histogram sample (a copy of the caller's holder), checked as a float sample
   * is; kept off {@link #append}'s arrays so the float path does not change.
   */
  @Override
  public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
    check();
    if ((h == null) == (fh == null)) {
      throw new IllegalArgumentException("appendHistogram needs exactly one of h and fh");
    }
    try {
      if (h != null) {
        h.validate();
      } else {
        fh.validate();
      }
    } catch (InvalidHistogramException e) {
      throw new IllegalArgumentException("native histogram at " + t + ": " + e.getMessage(), e);
    }
    HeadSeries s = resolve(ref, labels);
    if (t < head.minValidTime()) {
      throw new SampleRejectedException(Reason.OUT_OF_BOUNDS);
    }
    Object copy = h != null ? h.copy() : fh.copy();
    switch (s.checkHistogram(this, t, copy)) {
      case OUT_OF_ORDER -> throw new SampleRejectedException(Reason.OUT_OF_ORDER);
      case DUPLICATE -> throw new SampleRejectedException(Reason.DUPLICATE);
      case REPEAT -> {
        return s.ref;
      }
      case OK -> {
        // buffered below
      }
    }
    (h != null ? hists : fhists).add(new Pending(s, t, copy));
    return s.ref;
  }

  /** A buffered histogram sample: a {@link Histogram} or {@link FloatHistogram} copy. */
  private record Pending(HeadSeries series, long t, Object h) {}

  @Override
  public void appendExemplar(long ref, Labels labels, Exemplar exemplar) {
    check();
    HeadSeries s = resolve(ref, labels);
    long t;
    if (exemplar.hasTimestamp()) {
      t = exemplar.timestampMillis();
    } else if (n > 0 && series[n - 1] == s) {
      t = ts[n - 1]; // an exemplar without a timestamp takes its sample's
    } else {
      return; // no sample to take a timestamp from: not stored, as Prometheus does
    }
    exSeries.add(s);
    exemplars.add(new WalRecord.RefExemplar(s.ref, t, exemplar.value(), exemplar.labels()));
  }

  @Override
  public void updateMetadata(long ref, Labels labels, Metadata m) {
    check();
    HeadSeries s = resolve(ref, labels);
    if (!m.equals(s.metadata())) {
      metaSeries.add(s);
      metadata.add(new WalRecord.RefMetadata(s.ref, m));
    }
  }

  @Override
  public void commit() {
    check();
    done = true;
    try {
      write();
    } finally {
      releaseScratch();
    }
  }

  private void write() {
    if (n == 0
        && metadata.isEmpty()
        && exemplars.isEmpty()
        && hists.isEmpty()
        && fhists.isEmpty()) {
      return;
    }
    ByteSink buf = pool.takeBuffer();
    try {
      encodeAndWrite(buf);
    } finally {
      pool.giveBuffer(buf);
    }
    apply();
  }

  /** One WAL write of the batch's new series, samples, metadata and exemplars. */
  private void encodeAndWrite(ByteSink buf) {
    // The records as readers of the WAL see them, built only when one listens (remote write).
    WalRecord[] recs = wal.feed().hasSubscribers() ? new WalRecord[6] : null;
    int[] ends = recs == null ? null : new int[6];
    int frames = 0;
    List<WalRecord.RefLabels> fresh = unloggedSeries();
    if (!fresh.isEmpty()) {
      WalSegment.frame(buf, out -> WalCodec.encodeSeries(out, fresh));
      frames = note(recs, ends, frames, buf, () -> new WalRecord.Series(fresh));
    }
    if (n > 0) {
      WalSegment.frame(buf, out -> WalCodec.encodeSamples(out, refs, ts, vs, n));
      frames =
          note(
              recs,
              ends,
              frames,
              buf,
              () ->
                  new WalRecord.Samples(
                      Arrays.copyOf(refs, n), Arrays.copyOf(ts, n), Arrays.copyOf(vs, n)));
    }
    if (!metadata.isEmpty()) {
      WalSegment.frame(buf, out -> WalCodec.encodeMetadata(out, metadata));
      frames =
          note(recs, ends, frames, buf, () -> new WalRecord.MetadataEntries(List.copyOf(metadata)));
    }
    if (!exemplars.isEmpty()) {
      WalSegment.frame(buf, out -> WalCodec.encodeExemplars(out, exemplars));
      frames = note(recs, ends, frames, buf, () -> new WalRecord.Exemplars(List.copyOf(exemplars)));
    }
    if (!hists.isEmpty()) {
      WalRecord.Histograms r = histogramRecord(hists);
      WalSegment.frame(
          buf,
          out ->
              WalCodec.encodeHistograms(out, r.refs(), r.timestamps(), r.histograms(), r.size()));
      frames = note(recs, ends, frames, buf, () -> r);
    }
    if (!fhists.isEmpty()) {
      WalRecord.FloatHistograms r = floatHistogramRecord(fhists);
      WalSegment.frame(
          buf,
          out ->
              WalCodec.encodeFloatHistograms(
                  out, r.refs(), r.timestamps(), r.histograms(), r.size()));
      frames = note(recs, ends, frames, buf, () -> r);
    }
    try {
      wal.write(
          buf.array(), buf.length(), recs == null ? null : new WalFeed.Batch(recs, ends, frames));
    } catch (RuntimeException e) {
      head.walWriteFailures.increment();
      clearPending();
      throw e;
    }
    head.samplesAppended.add(n + hists.size() + fhists.size());
  }

  private static WalRecord.Histograms histogramRecord(List<Pending> ps) {
    int k = ps.size();
    long[] r = new long[k];
    long[] t = new long[k];
    Histogram[] h = new Histogram[k];
    for (int i = 0; i < k; i++) {
      r[i] = ps.get(i).series().ref;
      t[i] = ps.get(i).t();
      h[i] = (Histogram) ps.get(i).h();
    }
    return new WalRecord.Histograms(r, t, h);
  }

  private static WalRecord.FloatHistograms floatHistogramRecord(List<Pending> ps) {
    int k = ps.size();
    long[] r = new long[k];
    long[] t = new long[k];
    FloatHistogram[] h = new FloatHistogram[k];
    for (int i = 0; i < k; i++) {
      r[i] = ps.get(i).series().ref;
      t[i] = ps.get(i).t();
      h[i] = (FloatHistogram) ps.get(i).h();
    }
    return new WalRecord.FloatHistograms(r, t, h);
  }

  /** Applies the written histogram samples to the head; returns {min, max} time applied. */
  private void applyHistograms(List<Pending> ps, long[] range) {
    for (Pending p : ps) {
      HeadSeries s = p.series();
      if (!s.logged) {
        s.logged = true;
      }
      if (s.removed) {
        s = head.reattach(s);
      }
      Histogram h = p.h() instanceof Histogram x ? x : null;
      FloatHistogram fh = h == null ? (FloatHistogram) p.h() : null;
      if (s.commitHistogram(this, p.t(), h, fh, samplesPerChunk, keepChunks)
          == HeadSeries.Verdict.OK) {
        range[0] = Math.min(range[0], p.t());
        range[1] = Math.max(range[1], p.t());
      }
    }
  }

  /** Applies the written batch to the head. */
  private void apply() {
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      HeadSeries s = series[i];
      if (!s.logged) {
        s.logged = true; // a volatile write only the first time
      }
      if (s.removed) {
        s = head.reattach(s);
      }
      if (s.commit(this, ts[i], vs[i], samplesPerChunk, keepChunks) == HeadSeries.Verdict.OK) {
        mint = Math.min(mint, ts[i]);
        maxt = Math.max(maxt, ts[i]);
      }
    }
    for (int i = 0; i < metaSeries.size(); i++) {
      metaSeries.get(i).logged = true;
      metaSeries.get(i).metadata(metadata.get(i).metadata());
    }
    for (HeadSeries s : exSeries) {
      s.logged = true;
    }
    if (!hists.isEmpty() || !fhists.isEmpty()) {
      long[] range = {mint, maxt};
      applyHistograms(hists, range);
      applyHistograms(fhists, range);
      mint = range[0];
      maxt = range[1];
    }
    if (mint <= maxt) {
      head.observe(mint, maxt);
    }
  }

  /** Notes the frame just written to {@code buf} and its record when a feed listens. */
  private static int note(
      WalRecord[] recs,
      int[] ends,
      int frames,
      ByteSink buf,
      java.util.function.Supplier<WalRecord> rec) {
    if (recs == null) {
      return frames;
    }
    recs[frames] = rec.get();
    ends[frames] = buf.length();
    return frames + 1;
  }

  private List<WalRecord.RefLabels> unloggedSeries() {
    List<WalRecord.RefLabels> out = new ArrayList<>();
    java.util.Set<HeadSeries> seen = null;
    int total = n + metaSeries.size() + exSeries.size();
    List<HeadSeries> histSeries = new ArrayList<>(0);
    for (Pending p : hists) {
      histSeries.add(p.series());
    }
    for (Pending p : fhists) {
      histSeries.add(p.series());
    }
    for (HeadSeries s : histSeries) {
      if (!s.logged) {
        if (seen == null) {
          seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        }
        if (seen.add(s)) {
          out.add(new WalRecord.RefLabels(s.ref, s.labels));
        }
      }
    }
    for (int i = 0; i < total; i++) {
      HeadSeries s =
          i < n
              ? series[i]
              : i < n + metaSeries.size()
                  ? metaSeries.get(i - n)
                  : exSeries.get(i - n - metaSeries.size());
      if (!s.logged) {
        if (seen == null) {
          seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        }
        if (seen.add(s)) {
          out.add(new WalRecord.RefLabels(s.ref, s.labels));
        }
      }
    }
    return out;
  }

  @Override
  public void rollback() {
    check();
    done = true;
    clearPending();
    releaseScratch();
  }

  private void clearPending() {
    for (int i = 0; i < n; i++) {
      series[i].clearPending(this);
    }
    for (Pending p : hists) {
      p.series().clearPending(this);
    }
    for (Pending p : fhists) {
      p.series().clearPending(this);
    }
  }

  private void check() {
    if (done) {
      throw new IllegalStateException("appender already committed or rolled back");
    }
  }
}
