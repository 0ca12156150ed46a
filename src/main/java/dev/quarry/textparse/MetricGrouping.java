package dev.quarry.textparse;

import java.util.Arrays;

/**
 * Tells, sample by sample, where the metrics of one OpenMetrics family start and whether a metric
 * comes back after others. A metric is a label set as written, less the label its type sets apart
 * ({@code le}, {@code quantile}, a stateset's own). As OpenMetrics separates labels by a bare
 * comma, that identity is the text of the other labels from the first name to the last value
 * ({@code a="1",b="2}), one range of the body unless the label set apart is in the middle. Samples
 * are compared in place with the current metric, so the run of samples of one metric costs a byte
 * compare each; an identity is hashed only once its family has a second metric, so a family of one
 * metric hashes nothing. Reads the parser's current sample; owned by the parser's thread.
 */
final class MetricGrouping {
  /** What {@link #onSample} found. */
  static final int SAME = 0;

  static final int NEW = 1;
  static final int REPEATED = 2;

  private final AbstractTextParser p;
  private final HashTable seen = new HashTable(); // identity hashes of the family's metrics
  private int metrics; // of the current family, the current one included

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
    seen.clear();
  }

  /** Classifies the parser's current sample, label {@code skip} aside (-1: none). */
  int onSample(int skip) {
    identity(skip);
    int len = e1 - s1 + e2 - s2;
    if (metrics > 0 && len == idEnd - idStart && sameAsCurrent()) {
      return SAME;
    }
    if (metrics == 1) {
      seen.add(SeriesHash.hash(id, idStart, idEnd - idStart)); // the first metric, hashed now
    }
    remember(len);
    metrics++;
    if (metrics > 1 && !seen.add(SeriesHash.hash(id, idStart, idEnd - idStart))) {
      return REPEATED;
    }
    return NEW;
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

  private boolean sameAsCurrent() {
    final byte[] b = p.buf;
    int m = idStart + e1 - s1;
    return Arrays.equals(b, s1, e1, id, idStart, m) && Arrays.equals(b, s2, e2, id, m, idEnd);
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
