package dev.quarry.storage.file;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Labels;
import dev.quarry.storage.SampleIterator;
import dev.quarry.storage.Series;
import java.util.List;

/**
 * A selected series over encoded chunks copied out of the blocks and the head when it was selected:
 * samples are decoded only while iterating, one chunk at a time. Each run is the chunks of one
 * source (a block or the head) in time order; runs are merged by time, a timestamp present in
 * several runs reported once (the first run's sample wins). Immutable.
 */
final class ChunkSeries implements Series {
  private final Labels labels;
  private final List<List<XorChunk>> runs;
  private final long mint;
  private final long maxt;

  ChunkSeries(Labels labels, List<List<XorChunk>> runs, long mint, long maxt) {
    this.labels = labels;
    this.runs = runs;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator iterator() {
    if (runs.size() == 1) {
      return new RunIterator(runs.get(0), mint, maxt);
    }
    RunIterator[] its = new RunIterator[runs.size()];
    for (int i = 0; i < its.length; i++) {
      its[i] = new RunIterator(runs.get(i), mint, maxt);
    }
    return new MergeIterator(its);
  }

  /**
   * Whether any chunk of this series holds a sample in range. A chunk's first and last sample times
   * are known without decoding it, so only a chunk that starts before the range and ends after it
   * needs a look inside.
   */
  boolean hasSamples() {
    for (List<XorChunk> run : runs) {
      for (XorChunk c : run) {
        if (c.minTime() >= mint && c.minTime() <= maxt
            || c.maxTime() >= mint && c.maxTime() <= maxt) {
          return true;
        }
        if (c.minTime() < mint
            && c.maxTime() > maxt
            && new RunIterator(List.of(c), mint, maxt).next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The samples of one run's chunks within {@code [mint, maxt]}. */
  private static final class RunIterator implements SampleIterator {
    private final List<XorChunk> chunks;
    private final long mint;
    private final long maxt;
    private int next;
    private ChunkIterator it;
    private HistogramChunk.Iterator hit;
    private long t;
    private double v;
    private FloatHistogram fh;

    RunIterator(List<XorChunk> chunks, long mint, long maxt) {
      this.chunks = chunks;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public boolean next() {
      while (true) {
        if (hit != null && nextHistogram(hit)) {
          return true;
        }
        if (it == null) {
          if (next >= chunks.size()) {
            return false;
          }
          XorChunk c = chunks.get(next++);
          if (c.maxTime() < mint) {
            continue; // wholly before the range: skipped without decoding
          }
          if (c.minTime() > maxt) {
            next = chunks.size();
            return false;
          }
          if (c.isHistogram()) {
            if (nextHistogram(c.histogramIterator())) {
              return true;
            }
            continue;
          }
          fh = null;
          it = c.iterator();
        }
        while (it.next()) {
          long ts = it.timestamp();
          if (ts > maxt) {
            next = chunks.size();
            break;
          }
          if (ts >= mint) {
            t = ts;
            v = it.value();
            return true;
          }
        }
        it = null;
      }
    }

    /** Reads on in a histogram chunk (kept in {@code hit} while it has samples in range). */
    private boolean nextHistogram(HistogramChunk.Iterator h) {
      hit = h;
      while (h.next()) {
        long ts = h.timestamp();
        if (ts > maxt) {
          next = chunks.size();
          break;
        }
        if (ts >= mint) {
          t = ts;
          fh = h.histogram();
          v = fh.sum();
          return true;
        }
      }
      hit = null;
      return false;
    }

    @Override
    public long timestamp() {
      return t;
    }

    @Override
    public double value() {
      return v;
    }

    @Override
    public FloatHistogram floatHistogram() {
      return fh;
    }
  }

  /** A k-way merge by time of a few run iterators (one per overlapping block, and the head). */
  private static final class MergeIterator implements SampleIterator {
    private final RunIterator[] its;
    private final boolean[] live;
    private boolean started;
    private long t;
    private double v;
    private FloatHistogram fh;

    MergeIterator(RunIterator[] its) {
      this.its = its;
      this.live = new boolean[its.length];
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        for (int i = 0; i < its.length; i++) {
          live[i] = its[i].next();
        }
      } else {
        for (int i = 0; i < its.length; i++) {
          while (live[i] && its[i].timestamp() <= t) {
            live[i] = its[i].next();
          }
        }
      }
      int best = -1;
      for (int i = 0; i < its.length; i++) {
        if (live[i] && (best < 0 || its[i].timestamp() < its[best].timestamp())) {
          best = i;
        }
      }
      if (best < 0) {
        return false;
      }
      t = its[best].timestamp();
      v = its[best].value();
      fh = its[best].floatHistogram();
      return true;
    }

    @Override
    public long timestamp() {
      return t;
    }

    @Override
    public double value() {
      return v;
    }

    @Override
    public FloatHistogram floatHistogram() {
      return fh;
    }
  }
}
