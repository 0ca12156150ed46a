package dev.quarry.storage.file;

import dev.quarry.storage.WalRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;

/**
 * Compacts the WAL up to a segment into {@code checkpoint.<last>}: the previous checkpoint and
 * segments {@code <= last} are filtered (series and metadata records of live refs, samples at or
 * after a time) into one file, which replaces them. The new checkpoint is written to a temporary
 * file, synced and renamed before anything is deleted, so a crash at any point leaves a WAL that
 * replays to the same state.
 */
final class Checkpoint {
  /** What a checkpoint kept. */
  record Stats(int lastSegment, long series, long samples) {}

  private Checkpoint() {}

  static Stats write(Path walDir, int last, LongPredicate keepRef, long keepSamplesFrom)
      throws IOException {
    List<Path> inputs = new ArrayList<>();
    WalSegment previous = WalSegment.latestCheckpoint(walDir);
    if (previous != null) {
      if (previous.index() >= last) {
        return new Stats(previous.index(), 0, 0);
      }
      inputs.add(previous.path());
    }
    List<WalSegment> covered = new ArrayList<>();
    for (WalSegment s : WalSegment.list(walDir)) {
      if (s.index() <= last) {
        covered.add(s);
        inputs.add(s.path());
      }
    }
    Path tmp = walDir.resolve(WalSegment.CHECKPOINT_PREFIX + WalSegment.segmentName(last) + ".tmp");
    Set<Long> seriesSeen = new HashSet<>();
    long[] counts = new long[2];
    ByteSink buf = new ByteSink(1 << 16);
    // Keeping no samples (agent mode): sample and exemplar records are skipped undecoded.
    IntPredicate decode =
        keepSamplesFrom == Long.MAX_VALUE
            ? type -> type != WalCodec.SAMPLES && type != WalCodec.EXEMPLARS
            : type -> true;
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (Path in : inputs) {
        IOException[] failure = {null};
        WalReader.read(
            in,
            decode,
            rec -> {
              buf.reset();
              filter(rec, buf, keepRef, keepSamplesFrom, seriesSeen, counts);
              if (buf.length() > 0) {
                try {
                  out.write(buf.array(), 0, buf.length());
                } catch (IOException e) {
                  failure[0] = e;
                }
              }
            });
        if (failure[0] != null) {
          throw failure[0];
        }
      }
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, WalSegment.checkpointPath(walDir, last), StandardCopyOption.ATOMIC_MOVE);
    for (WalSegment s : covered) {
      Files.deleteIfExists(s.path());
    }
    if (previous != null) {
      Files.deleteIfExists(previous.path());
    }
    return new Stats(last, counts[0], counts[1]);
  }

  private static void filter(
      WalRecord rec,
      ByteSink buf,
      LongPredicate keepRef,
      long from,
      Set<Long> seen,
      long[] counts) {
    if (rec instanceof WalRecord.Series s) {
      List<WalRecord.RefLabels> kept = new ArrayList<>();
      for (WalRecord.RefLabels rl : s.series()) {
        if (keepRef.test(rl.ref()) && seen.add(rl.ref())) {
          kept.add(rl);
        }
      }
      if (!kept.isEmpty()) {
        counts[0] += kept.size();
        WalSegment.frame(buf, out -> WalCodec.encodeSeries(out, kept));
      }
    } else if (rec instanceof WalRecord.Samples s) {
      int n = 0;
      long[] refs = new long[s.size()];
      long[] ts = new long[s.size()];
      double[] vs = new double[s.size()];
      for (int i = 0; i < s.size(); i++) {
        if (s.timestamps()[i] >= from && keepRef.test(s.refs()[i])) {
          refs[n] = s.refs()[i];
          ts[n] = s.timestamps()[i];
          vs[n] = s.values()[i];
          n++;
        }
      }
      if (n > 0) {
        counts[1] += n;
        int count = n;
        WalSegment.frame(buf, out -> WalCodec.encodeSamples(out, refs, ts, vs, count));
      }
    } else if (rec instanceof WalRecord.Histograms h) {
      int[] keep = kept(h.refs(), h.timestamps(), keepRef, from);
      if (keep.length > 0) {
        counts[1] += keep.length;
        long[] r = new long[keep.length];
        long[] t = new long[keep.length];
        dev.quarry.model.Histogram[] hs = new dev.quarry.model.Histogram[keep.length];
        for (int i = 0; i < keep.length; i++) {
          r[i] = h.refs()[keep[i]];
          t[i] = h.timestamps()[keep[i]];
          hs[i] = h.histograms()[keep[i]];
        }
        WalSegment.frame(buf, out -> WalCodec.encodeHistograms(out, r, t, hs, r.length));
      }
    } else if (rec instanceof WalRecord.FloatHistograms h) {
      int[] keep = kept(h.refs(), h.timestamps(), keepRef, from);
      if (keep.length > 0) {
        counts[1] += keep.length;
        long[] r = new long[keep.length];
        long[] t = new long[keep.length];
        dev.quarry.model.FloatHistogram[] hs = new dev.quarry.model.FloatHistogram[keep.length];
        for (int i = 0; i < keep.length; i++) {
          r[i] = h.refs()[keep[i]];
          t[i] = h.timestamps()[keep[i]];
          hs[i] = h.histograms()[keep[i]];
        }
        WalSegment.frame(buf, out -> WalCodec.encodeFloatHistograms(out, r, t, hs, r.length));
      }
    } else if (rec instanceof WalRecord.MetadataEntries m) {
      List<WalRecord.RefMetadata> kept = new ArrayList<>();
      for (WalRecord.RefMetadata e : m.entries()) {
        if (keepRef.test(e.ref())) {
          kept.add(e);
        }
      }
      if (!kept.isEmpty()) {
        WalSegment.frame(buf, out -> WalCodec.encodeMetadata(out, kept));
      }
    }
  }

  /** Indexes of the samples a checkpoint keeps: at or after {@code from}, of a kept series. */
  private static int[] kept(long[] refs, long[] ts, LongPredicate keepRef, long from) {
    int[] out = new int[refs.length];
    int n = 0;
    for (int i = 0; i < refs.length; i++) {
      if (ts[i] >= from && keepRef.test(refs[i])) {
        out[n++] = i;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
