package dev.quarry.textparse;

import dev.quarry.util.GoQuote;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tracks metric families while an OpenMetrics body is parsed, for the specification's family rules
 * that Prometheus leaves unchecked: a family's metadata and samples form one contiguous group, the
 * same family does not appear twice, each of HELP, TYPE and UNIT appears at most once and before
 * the samples, no family's sample names clash with another family, and info and stateset families
 * have no unit. A broken rule is a warning ({@link AbstractTextParser#warn}), never an error, since
 * Prometheus accepts such pages. A sample without metadata starts a family named by its name less a
 * sample suffix ({@code foo_total} and {@code foo_created} are one family {@code foo}).
 *
 * <p>Family names are offsets into the body (valid for one parse) and a table of their hashes and
 * types, so tracking allocates nothing once the table has grown. Owned by its parser's thread.
 */
final class OpenMetricsFamilies {
  static final byte[] TOTAL = bytes("_total");
  static final byte[] CREATED = bytes("_created");
  static final byte[] BUCKET = bytes("_bucket");
  static final byte[] COUNT = bytes("_count");
  static final byte[] SUM = bytes("_sum");
  static final byte[] GCOUNT = bytes("_gcount");
  static final byte[] GSUM = bytes("_gsum");
  static final byte[] INFO = bytes("_info");
  static final byte[] NONE = new byte[0];
  private static final byte[][] SUFFIXES = {TOTAL, CREATED, BUCKET, COUNT, SUM, GCOUNT, GSUM, INFO};

  /**
   * The indexes into {@link #SUFFIXES} by a name's last byte: no suffix ends another, so at most
   * one candidate matches, and most names are ruled out by their last byte alone.
   */
  private static final int[][] BY_LAST_BYTE = new int[128][];

  static {
    for (int b = 0; b < 128; b++) {
      int n = 0;
      int[] ids = new int[SUFFIXES.length];
      for (int i = 0; i < SUFFIXES.length; i++) {
        if (SUFFIXES[i][SUFFIXES[i].length - 1] == b) {
          ids[n++] = i;
        }
      }
      BY_LAST_BYTE[b] = Arrays.copyOf(ids, n);
    }
  }

  private final AbstractTextParser parser;
  private byte[] buf;
  private int curStart = -1;
  private int curEnd;
  private boolean curHasSamples;
  private int curMetaSeen; // bit per Entry ordinal
  private MetricType curType; // null: no TYPE line
  private boolean curUnit; // a non-empty UNIT
  private byte[] curSuffix; // the last sample's suffix to the family name
  private int curSuffixBit; // bit of curSuffix, as in validSuffixes
  private long curHash; // of the current family's name
  private int lastStart = -1; // the name of the last sample, when no metadata came after it
  private int lastEnd;
  // Name hash -> bits: SEEN when a family or sample had that name, the bit of each suffix by which
  // a seen name extends it (as suffixBit), and the family's MetricType ordinal + 1 at TYPE_SHIFT.
  private final HashTable names = new HashTable();
  private static final int SEEN = 1 << 9;
  private static final int TYPE_SHIFT = 10;
  private static final int TYPE_MASK = 0xf << TYPE_SHIFT;

  OpenMetricsFamilies(AbstractTextParser parser) {
    this.parser = parser;
  }

  void reset(byte[] body) {
    buf = body;
    curStart = -1;
    curHasSamples = false;
    curMetaSeen = 0;
    curType = null;
    curUnit = false;
    curSuffix = null;
    curSuffixBit = 0;
    lastStart = -1;
    names.clear();
  }

  /** The type of the current family, null without a TYPE line. */
  MetricType type() {
    return curType;
  }

  int start() {
    return curStart;
  }

  int end() {
    return curEnd;
  }

  /**
   * The suffix by which the last sample's name extends the current family's name ({@link #NONE} for
   * the bare name), set by {@link #onSample}; null before the body's first sample.
   */
  byte[] suffix() {
    return curSuffix;
  }

  /** A bit for {@link #suffix()} (0 when null), to test against {@link #validSuffixes}. */
  int suffixBit() {
    return curSuffixBit;
  }

  /** The bits of the sample suffixes a family of type {@code t} has, as {@link #suffixBit()}. */
  static int validSuffixes(MetricType t) {
    return VALID_BITS[t.ordinal()];
  }

  /** The sample suffixes a family of type {@code t} has ({@link #NONE}: the bare name). */
  static byte[][] suffixes(MetricType t) {
    return BY_TYPE[t.ordinal()];
  }

  private static final byte[][][] BY_TYPE = new byte[MetricType.values().length][][];
  private static final int[] VALID_BITS = new int[MetricType.values().length];

  static {
    for (MetricType t : MetricType.values()) {
      BY_TYPE[t.ordinal()] =
          switch (t) {
            case COUNTER -> new byte[][] {TOTAL, CREATED};
            case HISTOGRAM -> new byte[][] {BUCKET, COUNT, SUM, CREATED};
            case GAUGEHISTOGRAM -> new byte[][] {BUCKET, GCOUNT, GSUM};
            case SUMMARY -> new byte[][] {NONE, COUNT, SUM, CREATED};
            case INFO -> new byte[][] {INFO};
            default -> new byte[][] {NONE};
          };
      for (byte[] x : BY_TYPE[t.ordinal()]) {
        VALID_BITS[t.ordinal()] |= bit(x);
      }
    }
  }

  private static int bit(byte[] suffix) {
    if (suffix == NONE) {
      return 1 << SUFFIXES.length;
    }
    for (int i = 0; i < SUFFIXES.length; i++) {
      if (SUFFIXES[i] == suffix) {
        return 1 << i;
      }
    }
    throw new IllegalArgumentException("not a sample suffix");
  }

  /**
   * The index in {@link #SUFFIXES} of the sample suffix that ends the name {@code [s, e)} after at
   * least one byte, or -1.
   */
  private int suffixEnding(int s, int e) {
    if (e <= s) {
      return -1;
    }
    int last = buf[e - 1];
    if (last < 0) {
      return -1;
    }
    for (int i : BY_LAST_BYTE[last]) {
      byte[] x = SUFFIXES[i];
      int st = e - x.length;
      if (st > s && endsWith(st, x)) {
        return i;
      }
    }
    return -1;
  }

  /** Records a HELP/TYPE/UNIT line for the family {@code [s, e)}; {@code type} for TYPE. */
  void onMeta(Entry kind, int s, int e, MetricType type, boolean nonEmptyUnit) {
    int bit = 1 << kind.ordinal();
    lastStart = -1;
    if (curStart >= 0 && Arrays.equals(buf, s, e, buf, curStart, curEnd)) {
      if (curHasSamples) {
        parser.warn(kind + " for family " + quote(s, e) + " after its samples", s);
      } else if ((curMetaSeen & bit) != 0) {
        parser.warn("duplicate " + kind + " for family " + quote(s, e), s);
      }
      curMetaSeen |= bit;
    } else {
      curHash = SeriesHash.hash(buf, s, e - s);
      if ((names.update(curHash, 0, SEEN) & SEEN) != 0) {
        parser.warn(
            "family "
                + quote(s, e)
                + " appears again: a family's metadata and samples must be one group",
            s);
      }
      clashesWithEarlierType(s, e);
      curStart = s;
      curEnd = e;
      curHasSamples = false;
      curMetaSeen = bit;
      curType = null;
      curUnit = false;
    }
    if (kind == Entry.TYPE) {
      curType = type;
      int old = names.update(curHash, TYPE_MASK, (type.ordinal() + 1) << TYPE_SHIFT);
      clashesWithLaterType(s, e, type, old);
      if (curUnit && (type == MetricType.INFO || type == MetricType.STATESET)) {
        parser.warn(type.wireName() + " family " + quote(s, e) + " must not have a unit", s);
      }
    } else if (kind == Entry.UNIT && nonEmptyUnit) {
      curUnit = true;
      if (curType == MetricType.INFO || curType == MetricType.STATESET) {
        parser.warn(curType.wireName() + " family " + quote(s, e) + " must not have a unit", s);
      }
    }
  }

  /** Records a sample named {@code [s, e)}. */
  void onSample(int s, int e) {
    int ls = lastStart;
    int le = lastEnd;
    lastStart = s;
    lastEnd = e;
    if (ls >= 0 && e - s == le - ls && Arrays.equals(buf, s, e, buf, ls, le)) {
      return; // the last sample's name again: its family and suffix, and curHasSamples is set
    }
    if (curStart >= 0 && inCurrent(s, e)) {
      curHasSamples = true;
      return;
    }
    int i = suffixEnding(s, e);
    // A sample outside the current family starts a family without metadata: its name, or its
    // name less a sample suffix, must not name a family seen before.
    int stem = i < 0 ? e : e - SUFFIXES[i].length;
    setSuffix(i);
    curHash = SeriesHash.hash(buf, s, e - s);
    boolean again = (names.update(curHash, 0, SEEN) & SEEN) != 0;
    if (stem != e) {
      curHash = SeriesHash.hash(buf, s, stem - s); // the family's name
      again |= (names.update(curHash, 0, SEEN | 1 << i) & SEEN) != 0;
      addStem(s, stem);
    }
    if (again) {
      parser.warn(
          "sample "
              + quote(s, e)
              + " belongs to a family that appeared earlier (families must not interleave or"
              + " repeat)",
          s);
    }
    curStart = s;
    curEnd = stem;
    curHasSamples = true;
    curMetaSeen = 0;
    curType = null;
    curUnit = false;
  }

  /** Whether {@code buf} holds {@code x} at {@code st}: a loop, as suffixes are short. */
  private boolean endsWith(int st, byte[] x) {
    for (int j = x.length - 2; j >= 0; j--) { // the last byte has matched
      if (buf[st + j] != x[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the sample name {@code [s, e)} is the current family's name or that name and a sample
   * suffix; if so the suffix is recorded. The bare name needs no suffix search.
   */
  private boolean inCurrent(int s, int e) {
    int len = curEnd - curStart;
    int i = -1;
    if (e - s == len) {
      if (!Arrays.equals(buf, s, e, buf, curStart, curEnd)) {
        return false;
      }
    } else {
      i = e - s > len ? suffixEnding(s, e) : -1;
      if (i < 0
          || e - s - len != SUFFIXES[i].length
          || !Arrays.equals(buf, s, s + len, buf, curStart, curEnd)) {
        return false;
      }
    }
    setSuffix(i);
    return true;
  }

  private void setSuffix(int i) {
    curSuffix = i < 0 ? NONE : SUFFIXES[i];
    curSuffixBit = i < 0 ? 1 << SUFFIXES.length : 1 << i;
  }

  /** A family {@code F_x} named after the samples of an earlier family {@code F} of its type. */
  private void clashesWithEarlierType(int s, int e) {
    int i = suffixEnding(s, e);
    if (i < 0) {
      return;
    }
    int stem = e - SUFFIXES[i].length;
    long h = SeriesHash.hash(buf, s, stem - s);
    int t = names.update(h, 0, 1 << i) >>> TYPE_SHIFT;
    if (t > 0 && (VALID_BITS[t - 1] & (1 << i)) != 0) {
      parser.warn(
          "family "
              + quote(s, e)
              + " clashes with the samples of "
              + MetricType.values()[t - 1].wireName()
              + " family "
              + quote(s, stem),
          s);
    }
  }

  /** Records in {@link #names} the name {@code [s, e)}, a stem just marked seen. */
  private void addStem(int s, int e) {
    int i = suffixEnding(s, e);
    if (i >= 0) {
      names.update(SeriesHash.hash(buf, s, e - SUFFIXES[i].length - s), 0, 1 << i);
    }
  }

  /**
   * A family {@code F} whose type gives it samples named as an earlier family {@code F_x}: found in
   * the bits {@code names} had for the hash of {@code F}, so no {@code F_x} is hashed.
   */
  private void clashesWithLaterType(int s, int e, MetricType type, int names) {
    int bits = names & VALID_BITS[type.ordinal()];
    if (bits == 0) {
      return;
    }
    for (byte[] suffix : suffixes(type)) {
      if (suffix.length > 0 && (bits & bit(suffix)) != 0) {
        byte[] name = Arrays.copyOfRange(buf, s, e + suffix.length);
        System.arraycopy(suffix, 0, name, e - s, suffix.length);
        parser.warn(
            type.wireName()
                + " family "
                + quote(s, e)
                + " clashes with the earlier family "
                + GoQuote.quote(name, 0, name.length),
            s);
      }
    }
  }

  private String quote(int s, int e) {
    return GoQuote.quote(buf, s, e);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
