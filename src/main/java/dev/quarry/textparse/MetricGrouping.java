package dev.quarry.textparse;

import java.util.Arrays;

/**
 * Tells, sample by sample, where the metrics of one OpenMetrics family start and whether a metric
 * comes back after others. A metric is a label set as written, less the label its type sets apart
 * ({@code le}, {@code quantile}, a stateset's own). As OpenMetrics separates labels by a bare
 * comma, that identity is the text of the other labels from the first name to the last value
 * ({@code a="1",b="2}), one range of the body unless the label set apart is in the middle. Samples
 * are compared in place with the current metric, so the run of samples of one metric costs a byte
 * compare each. While a family's metrics come in increasing order of their identities (as client
 * libraries write them), a new metric is above all before it and so new, and nothing is hashed; the
 * first metric out of order hashes the family's metrics so far, and each one after. Reads the
 * parser's current sample; owned by the parser's thread.
 */
final class MetricGrouping {
  /** What {@link #onSample} found. */
  static final int SAME = 0;

  static final int NEW = 1;
  static final int REPEATED = 2;

  private final AbstractTextParser p;
  private final HashTable seen = new HashTable(); // identity hashes of the family's metrics
  private int metrics; // of the current family, the current one included
  private boolean ordered = true; // the family's metrics so far in increasing order
  private int[] ranges = new int[64]; // while ordered: each metric's [s1, e1, s2, e2)

  // The current metric's identity: a range of the body, or of own when it had to be joined.
  private byte[] id = new byte[0];
  private int idStart;
  private int idEnd;
  private byte[] own = new byte[256];

  // The current sample's identity: [s1, e1) then [s2, e2) (empty unless joined).
  private int s1;
  private int e1;
  private int s2;
  private int e2;

  MetricGrouping(AbstractTextParser parser) {
    this.p = parser;
  }

  /** Forgets the family's metrics: the next sample starts a new family. */
  void newFamily() {
    metrics = 0;
    if (!ordered) {
      seen.clear();
      ordered = true;
    }
  }

  /** Classifies the parser's current sample, label {@code skip} aside (-1: none). */
  int onSample(int skip) {
    identity(skip);
    int len = e1 - s1 + e2 - s2;
    int c = metrics > 0 ? compareToCurrent() : 1;
    if (c == 0) {
      return SAME;
    }
    if (ordered && c < 0) {
      ordered = false;
      for (int j = 0; j < metrics; j++) {
        int r = 4 * j;
        seen.add(hash(ranges[r], ranges[r + 1], ranges[r + 2], ranges[r + 3]));
      }
    }
    remember(len);
    if (ordered) {
      if (ranges.length < 4 * (metrics + 1)) {
        ranges = Arrays.copyOf(ranges, 2 * ranges.length);
      }
      int r = 4 * metrics;
      ranges[r] = s1;
      ranges[r + 1] = e1;
      ranges[r + 2] = s2;
      ranges[r + 3] = e2;
      metrics++;
      return NEW;
    }
    metrics++;
    return seen.add(SeriesHash.hash(id, idStart, idEnd - idStart)) ? NEW : REPEATED;
  }

  /** The hash of the identity {@code [s1, e1)} then {@code [s2, e2)} of the body. */
  private long hash(int s1, int e1, int s2, int e2) {
    if (s2 == e2) {
      return SeriesHash.hash(p.buf, s1, e1 - s1);
    }
    int len = e1 - s1 + e2 - s2;
    byte[] joined = new byte[len];
    System.arraycopy(p.buf, s1, joined, 0, e1 - s1);
    System.arraycopy(p.buf, s2, joined, e1 - s1, e2 - s2);
    return SeriesHash.hash(joined, 0, len);
  }

  private void identity(int skip) {
    final int[] lbl = p.lbl;
    int n = p.nLabels;
    s2 = e2 = 0;
    int first = skip == 0 ? 1 : 0;
    int last = skip == n - 1 ? n - 2 : n - 1;
    if (first > last) {
      s1 = e1 = 0;
    } else if (skip <= first || skip >= last) {
      s1 = lbl[4 * first];
      e1 = lbl[4 * last + 3];
    } else { // joined around the label set apart: a="1", then c="3
      s1 = lbl[0];
      e1 = lbl[4 * skip];
      s2 = lbl[4 * (skip + 1)];
      e2 = lbl[4 * last + 3];
    }
  }

  /** The current sample's identity against the current metric's, bytes unsigned: 0 when equal. */
  private int compareToCurrent() {
    final byte[] b = p.buf;
    int n1 = e1 - s1;
    int k = Math.min(n1, idEnd - idStart);
    int c = Arrays.compareUnsigned(b, s1, s1 + k, id, idStart, idStart + k);
    if (c != 0) {
      return c;
    }
    if (k < n1) {
      return 1; // the current metric's identity is a prefix of the first range
    }
    return Arrays.compareUnsigned(b, s2, e2, id, idStart + n1, idEnd);
  }

  private void remember(int len) {
    if (e2 == s2) {
      id = p.buf;
      idStart = s1;
      idEnd = e1;
      return;
    }
    if (own.length < len) {
      own = new byte[2 * len];
    }
    System.arraycopy(p.buf, s1, own, 0, e1 - s1);
    System.arraycopy(p.buf, s2, own, e1 - s1, e2 - s2);
    id = own;
    idStart = 0;
    idEnd = len;
  }
}
