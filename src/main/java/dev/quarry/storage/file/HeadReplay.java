package dev.quarry.storage.file;

import dev.quarry.storage.WalRecord;

/** Applies replayed WAL records to the head when the store opens. Stateless. */
final class HeadReplay {
  private HeadReplay() {}

  static void apply(Head head, FileStorageSettings settings, WalRecord rec) {
    if (rec instanceof WalRecord.Series s) {
      for (WalRecord.RefLabels rl : s.series()) {
        head.restore(rl.ref(), rl.labels());
      }
    } else if (rec instanceof WalRecord.Samples s) {
      long min = head.minValidTime();
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (int i = 0; i < s.size(); i++) {
        HeadSeries hs = head.get(s.refs()[i]);
        long t = s.timestamps()[i];
        if (hs == null || t < min) {
          continue; // a series dropped before the checkpoint, or data already in a block
        }
        if (hs.commit(null, t, s.values()[i], settings.samplesPerChunk(), !settings.agentMode())
            == HeadSeries.Verdict.OK) {
          lo = Math.min(lo, t);
          hi = Math.max(hi, t);
        }
      }
      if (lo <= hi) {
        head.observe(lo, hi);
      }
    } else if (rec instanceof WalRecord.Histograms h) {
      histograms(head, settings, h.refs(), h.timestamps(), h.histograms(), null);
    } else if (rec instanceof WalRecord.FloatHistograms h) {
      histograms(head, settings, h.refs(), h.timestamps(), null, h.histograms());
    } else if (rec instanceof WalRecord.MetadataEntries m) {
      for (WalRecord.RefMetadata e : m.entries()) {
        HeadSeries hs = head.get(e.ref());
        if (hs != null) {
          hs.metadata(e.metadata());
        }
      }
    }
  }

  private static void histograms(
      Head head,
      FileStorageSettings settings,
      long[] refs,
      long[] ts,
      dev.quarry.model.Histogram[] hs,
      dev.quarry.model.FloatHistogram[] fs) {
    long min = head.minValidTime();
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < refs.length; i++) {
      HeadSeries s = head.get(refs[i]);
      if (s == null || ts[i] < min) {
        continue;
      }
      if (s.commitHistogram(
              null,
              ts[i],
              hs == null ? null : hs[i],
              fs == null ? null : fs[i],
              settings.samplesPerChunk(),
              !settings.agentMode())
          == HeadSeries.Verdict.OK) {
        lo = Math.min(lo, ts[i]);
        hi = Math.max(hi, ts[i]);
      }
    }
    if (lo <= hi) {
      head.observe(lo, hi);
    }
  }
}
