package dev.quarry.storage.file;

import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.storage.Metadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One series of the head: its stable ref, labels, sealed chunks and the open chunk being filled.
 * All mutable state is guarded by the instance's monitor; appends, reads and truncation each take
 * it briefly.
 */
final class HeadSeries {
  /** Outcome of checking or appending a sample against what is committed. */
  enum Verdict {
    OK,
    /** Same timestamp and same value bits as the last sample: accepted, nothing stored. */
    REPEAT,
    OUT_OF_ORDER,
    DUPLICATE
  }

  final long ref;
  final Labels labels;
  private static final XorChunk[] NO_CHUNKS = new XorChunk[0];

  /**
   * The open chunk, holding the sealed chunks before it: an append reaches the chunk's bytes
   * through two objects, the series and this one.
   */
  private static final class OpenChunk extends ChunkEncoder {
    /** Sealed chunks, oldest first (an array: most series hold few). */
    XorChunk[] sealed;

    OpenChunk(int initialBytes, XorChunk[] sealed) {
      super(initialBytes);
      this.sealed = sealed;
    }
  }

  /** Null until the first sample kept in chunks (always, in agent mode). */
  private OpenChunk chunks;

  /** The open histogram chunk; when set, {@code chunks} holds no samples of its own. */
  private HistogramChunk.Encoder hopen;

  private long lastT = Long.MIN_VALUE;
  private long lastBits;

  /** The last sample's histogram (a {@link Histogram} or {@link FloatHistogram}), else null. */
  private Object lastHist;

  private Metadata metadata;

  /** The appender holding an uncommitted sample of this series, and that sample's timestamp. */
  private Object pendingOwner;

  private long pendingT;

  /** True once a series record for this ref is in the WAL (since the last checkpoint). */
  volatile boolean logged;

  /** Set when garbage collection unlinked the series from the head's indexes. */
  boolean removed;

  HeadSeries(long ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /**
   * Checks a sample before it joins an appender's batch, like Prometheus' head: older than the last
   * committed (or pending, same appender) sample is out of order; the same timestamp with other
   * value bits is a duplicate; the same timestamp and bits is a harmless repeat.
   */
  synchronized Verdict check(Object owner, long t, double v) {
    if (owner != null && pendingOwner == owner) {
      if (t < pendingT) {
        return Verdict.OUT_OF_ORDER;
      }
      if (t == pendingT) {
        return Verdict.REPEAT; // within one batch the later sample would be dropped at commit
      }
    }
    Verdict verdict = verdict(t, Double.doubleToRawLongBits(v));
    if (verdict == Verdict.OK && owner != null) {
      pendingOwner = owner;
      pendingT = t;
    }
    return verdict;
  }

  private Verdict verdict(long t, long bits) {
    if (t > lastT) {
      return Verdict.OK;
    }
    if (t < lastT) {
      return Verdict.OUT_OF_ORDER;
    }
    return bits == lastBits && lastHist == null ? Verdict.REPEAT : Verdict.DUPLICATE;
  }

  /** Applies a committed sample; samples that fail the checks are dropped and reported. */
  synchronized Verdict commit(
      Object owner, long t, double v, int samplesPerChunk, boolean keepChunks) {
    if (owner != null && pendingOwner == owner) {
      pendingOwner = null;
    }
    long bits = Double.doubleToRawLongBits(v);
    Verdict verdict = verdict(t, bits);
    if (verdict != Verdict.OK) {
      return verdict;
    }
    if (lastHist != null) {
      lastHist = null; // a float after histograms (a staleness marker, usually): a float chunk
      if (hopen != null) {
        sealHistograms();
      }
    }
    if (keepChunks) {
      OpenChunk c = chunks;
      if (c == null) {
        c = chunks = new OpenChunk(32, NO_CHUNKS);
      } else if (c.count() >= samplesPerChunk) {
        XorChunk done = XorChunk.seal(c);
        XorChunk[] more = java.util.Arrays.copyOf(c.sealed, c.sealed.length + 1);
        more[c.sealed.length] = done;
        c = chunks = new OpenChunk(Math.max(32, done.data().length + 8), more);
      }
      c.append(t, v);
    }
    lastT = t;
    lastBits = bits;
    return Verdict.OK;
  }

  /**
   * Checks a native histogram sample as {@link #check} does a float: the same timestamp with an
   * equal histogram is a repeat, with anything else (another histogram, or a float) a duplicate.
   */
  synchronized Verdict checkHistogram(Object owner, long t, Object h) {
    if (owner != null && pendingOwner == owner) {
      if (t < pendingT) {
        return Verdict.OUT_OF_ORDER;
      }
      if (t == pendingT) {
        return Verdict.REPEAT;
      }
    }
    Verdict verdict = histogramVerdict(t, h);
    if (verdict == Verdict.OK && owner != null) {
      pendingOwner = owner;
      pendingT = t;
    }
    return verdict;
  }

  private Verdict histogramVerdict(long t, Object h) {
    if (t > lastT) {
      return Verdict.OK;
    }
    if (t < lastT) {
      return Verdict.OUT_OF_ORDER;
    }
    return h.equals(lastHist) ? Verdict.REPEAT : Verdict.DUPLICATE;
  }

  /**
   * Applies a committed histogram sample ({@code h} integer or {@code fh} float, the other null;
   * neither is written afterwards). A histogram that does not fit the open histogram chunk (kind,
   * layout, counter reset, size) starts a new one; an open float chunk is sealed first.
   */
  synchronized Verdict commitHistogram(
      Object owner,
      long t,
      Histogram h,
      FloatHistogram fh,
      int samplesPerChunk,
      boolean keepChunks) {
    if (owner != null && pendingOwner == owner) {
      pendingOwner = null;
    }
    Object hist = h != null ? h : fh;
    Verdict verdict = histogramVerdict(t, hist);
    if (verdict != Verdict.OK) {
      return verdict;
    }
    if (keepChunks) {
      OpenChunk c = chunks;
      if (c == null) {
        c = chunks = new OpenChunk(32, NO_CHUNKS);
      } else if (c.count() > 0) {
        XorChunk[] more = Arrays.copyOf(c.sealed, c.sealed.length + 1);
        more[c.sealed.length] = XorChunk.seal(c);
        c = chunks = new OpenChunk(32, more);
      }
      if (hopen != null && !hopen.accepts(h, fh, samplesPerChunk)) {
        sealHistograms();
      }
      if (hopen == null) {
        hopen = new HistogramChunk.Encoder(h != null ? HistogramChunk.INT : HistogramChunk.FLOAT);
      }
      hopen.append(t, h, fh);
    }
    lastT = t;
    lastBits = Double.doubleToRawLongBits(h != null ? h.sum() : fh.sum());
    lastHist = hist;
    return Verdict.OK;
  }

  /** Moves the open histogram chunk to the sealed ones. */
  private void sealHistograms() {
    OpenChunk c = chunks;
    XorChunk[] more = Arrays.copyOf(c.sealed, c.sealed.length + 1);
    more[c.sealed.length] = hopen.seal();
    c.sealed = more;
    hopen = null;
  }

  synchronized void clearPending(Object owner) {
    if (pendingOwner == owner) {
      pendingOwner = null;
    }
  }

  synchronized long lastTime() {
    return lastT;
  }

  synchronized long firstTime() {
    OpenChunk c = chunks;
    if (c == null) {
      return Long.MAX_VALUE;
    }
    if (c.sealed.length > 0) {
      return c.sealed[0].minTime();
    }
    if (hopen != null) {
      return hopen.minTime();
    }
    return c.count() > 0 ? c.minTime() : Long.MAX_VALUE;
  }

  /** Chunks held: the sealed ones and the open one when it has samples. */
  synchronized int chunkCount() {
    OpenChunk c = chunks;
    return c == null ? 0 : c.sealed.length + (c.count() > 0 || hopen != null ? 1 : 0);
  }

  synchronized Metadata metadata() {
    return metadata;
  }

  synchronized void metadata(Metadata m) {
    metadata = m;
  }

  /** Feeds every sample with {@code mint <= t <= maxt} to {@code out}, oldest first. */
  void samples(long mint, long maxt, Consumer<Sample> out) {
    List<XorChunk> chunks = chunks(mint, maxt);
    for (XorChunk c : chunks) {
      if (c.isHistogram()) {
        continue; // raw reads are of float samples
      }
      ChunkIterator it = c.iterator();
      while (it.next()) {
        long t = it.timestamp();
        if (t > maxt) {
          break;
        }
        if (t >= mint) {
          out.accept(new Sample(t, it.value()));
        }
      }
    }
  }

  /** A snapshot of the chunks overlapping {@code [mint, maxt]}, the open one copied and sealed. */
  synchronized List<XorChunk> chunks(long mint, long maxt) {
    OpenChunk c = chunks;
    if (c == null) {
      return List.of();
    }
    List<XorChunk> out = new ArrayList<>(c.sealed.length + 1);
    for (XorChunk x : c.sealed) {
      if (x.maxTime() >= mint && x.minTime() <= maxt) {
        out.add(x);
      }
    }
    if (c.count() > 0 && c.maxTime() >= mint && c.minTime() <= maxt) {
      out.add(XorChunk.seal(c));
    }
    HistogramChunk.Encoder h = hopen;
    if (h != null && h.maxTime() >= mint && h.minTime() <= maxt) {
      out.add(h.seal());
    }
    return out;
  }

  /**
   * Drops chunks that end before {@code mint} (they are in a block now). Returns true when the
   * series holds no data any more and has seen no sample since {@code mint}, so it may be removed.
   */
  synchronized boolean truncateBefore(long mint) {
    OpenChunk c = chunks;
    if (c != null) {
      long openMax = hopen != null ? hopen.maxTime() : c.maxTime();
      if (openMax < mint) {
        chunks = null; // the sealed chunks are older still
        hopen = null;
      } else {
        int drop = 0;
        while (drop < c.sealed.length && c.sealed[drop].maxTime() < mint) {
          drop++;
        }
        if (drop > 0) {
          c.sealed =
              drop == c.sealed.length
                  ? NO_CHUNKS
                  : java.util.Arrays.copyOfRange(c.sealed, drop, c.sealed.length);
        }
      }
    }
    return chunks == null && lastT < mint && pendingOwner == null;
  }
}
