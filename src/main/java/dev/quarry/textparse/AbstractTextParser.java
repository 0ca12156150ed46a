package dev.quarry.textparse;

import dev.quarry.model.Labels;
import dev.quarry.util.GoQuote;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * State and decoding shared by the two text parsers: the buffer, the offsets of the current entry,
 * label decoding on demand and positioned errors. Subclasses only scan.
 */
abstract class AbstractTextParser implements Parser {
  private static final int EXCERPT_MAX = 100;

  protected byte[] buf = new byte[0];
  protected int begin;
  protected int end;
  protected int pos;

  /**
   * Whether the body holds a backslash (so a help text or an exemplar value may need unescaping): 0
   * before {@link #noBackslash()} has looked, which it does on the first such text read, not on
   * every reset (a scrape of cache hits reads none).
   */
  private int backslashes;

  protected Entry entry;

  protected int seriesStart;
  protected int seriesEnd;
  protected int nameStart;
  protected int nameEnd;

  /** Four offsets per label: name start, name end, value start, value end (inside the quotes). */
  protected int[] lbl = new int[64];

  protected int nLabels;

  /** True when a value of the current series has a byte of 0x80 or more. */
  protected boolean seriesHasUtf8;

  /** True when a value of the current series has a backslash (so it may need unescaping). */
  protected boolean seriesHasEscape;

  private long seriesHash;
  private boolean seriesHashed;

  protected double value;
  protected boolean hasTs;
  protected long ts;

  protected int metaStart;
  protected int metaEnd;
  protected int textStart;
  protected int textEnd;
  protected MetricType metaType;

  protected final GoFloat floats = new GoFloat();
  protected final ParseWarnings warnings = new ParseWarnings();

  /** Where the line count of {@link #warn} stands: an offset and the line it is on. */
  private int warnAt;

  private int warnLine;
  private final StringCache strings = new StringCache();
  private final Labels.Builder scratch = Labels.builder();

  @Override
  public void reset(byte[] buffer, int off, int len) {
    if (off < 0 || len < 0 || off + len > buffer.length) {
      throw new IndexOutOfBoundsException(
          "range [" + off + ", " + (off + len) + ") of " + buffer.length);
    }
    this.buf = buffer;
    this.begin = off;
    this.end = off + len;
    this.pos = off;
    this.backslashes = 0;
    this.entry = null;
    this.nLabels = 0;
    warnings.clear();
    warnAt = off;
    warnLine = 1;
  }

  /** True when the body holds no backslash at all, so no value needs unescaping. */
  protected final boolean noBackslash() {
    if (backslashes == 0) {
      backslashes = TextBytes.hasByte(buf, begin, end, (byte) '\\') ? 2 : 1;
    }
    return backslashes == 1;
  }

  @Override
  public ParseWarnings warnings() {
    return warnings;
  }

  /**
   * Records a broken rule that Prometheus accepts, at offset {@code at}. Lines are counted on from
   * the previous warning, so the warnings of a body cost one pass over it at most.
   */
  final void warn(String what, int at) {
    if (!warnings.wantsMore()) {
      warnings.count();
      return;
    }
    if (at < warnAt) {
      warnAt = begin;
      warnLine = 1;
    }
    int stop = Math.min(at, end);
    for (int i = warnAt; i < stop; i++) {
      if (buf[i] == '\n') {
        warnLine++;
      }
    }
    warnAt = Math.max(warnAt, stop);
    warnings.add(what, warnLine, at - begin);
  }

  @Override
  public byte[] buffer() {
    return buf;
  }

  @Override
  public int seriesOffset() {
    return seriesStart;
  }

  @Override
  public int seriesLength() {
    return seriesEnd - seriesStart;
  }

  @Override
  public long seriesHash() {
    if (!seriesHashed) {
      seriesHash = SeriesHash.hash(buf, seriesStart, seriesEnd - seriesStart);
      seriesHashed = true;
    }
    return seriesHash;
  }

  @Override
  public double value() {
    return value;
  }

  @Override
  public boolean hasTimestamp() {
    return hasTs;
  }

  @Override
  public long timestamp() {
    return ts;
  }

  @Override
  public int familyOffset() {
    return metaStart;
  }

  @Override
  public int familyLength() {
    return metaEnd - metaStart;
  }

  @Override
  public String familyName() {
    return StringCache.make(buf, metaStart, metaEnd, true);
  }

  @Override
  public long helpHash() {
    return SeriesHash.hash(buf, textStart, textEnd - textStart);
  }

  @Override
  public MetricType type() {
    return metaType;
  }

  @Override
  public String unit() {
    return new String(buf, textStart, textEnd - textStart, StandardCharsets.UTF_8);
  }

  @Override
  public String comment() {
    return new String(buf, textStart, textEnd - textStart, StandardCharsets.UTF_8);
  }

  /** Called by subclasses when a new series starts. */
  protected final void startSeries() {
    nLabels = 0;
    seriesHasUtf8 = false;
    seriesHasEscape = false;
    seriesHashed = false;
    hasTs = false;
  }

  protected final void addLabel(int ns, int ne, int vs, int ve) {
    int k = nLabels * 4;
    if (k + 4 > lbl.length) {
      lbl = Arrays.copyOf(lbl, lbl.length * 2);
    }
    lbl[k] = ns;
    lbl[k + 1] = ne;
    lbl[k + 2] = vs;
    lbl[k + 3] = ve;
    nLabels++;
  }

  /** Fails on a label name used twice, {@code __name__} included, as Prometheus rejects it. */
  protected final void checkDuplicateLabels() throws ParseException {
    for (int i = 0; i < nLabels; i++) {
      int s = lbl[4 * i];
      int len = lbl[4 * i + 1] - s;
      if (len == 8 && Arrays.equals(buf, s, s + 8, NAME_LABEL, 0, 8)) {
        throw sampleError(error("label name \"__name__\" is not unique", s, false));
      }
      for (int j = 0; j < i; j++) {
        int t = lbl[4 * j];
        if (lbl[4 * j + 1] - t == len && Arrays.equals(buf, s, s + len, buf, t, t + len)) {
          throw sampleError(
              error("label name " + GoQuote.quote(buf, s, s + len) + " is not unique", s, false));
        }
      }
    }
  }

  /** The same error, for a sample read whole. */
  private static ParseException sampleError(ParseException e) {
    String m = e.getMessage();
    String excerpt = m.substring(m.indexOf(e.reason()) + e.reason().length() + 2);
    return new ParseException(e.reason(), e.line(), e.byteOffset(), excerpt, true);
  }

  private static final byte[] NAME_LABEL = Labels.METRIC_NAME.getBytes(StandardCharsets.US_ASCII);

  @Override
  public Labels labels() {
    labels(scratch);
    return scratch.build();
  }

  /** Called before labels are read: a parser that skipped the label scan does it now. */
  protected void ensureLabels() {}

  @Override
  public void labels(Labels.Builder into) {
    ensureLabels();
    if (names.length < nLabels + 1) {
      names = new String[nLabels * 2 + 2];
      values = new String[nLabels * 2 + 2];
    }
    names[0] = Labels.METRIC_NAME;
    values[0] = strings.get(buf, nameStart, nameEnd, true);
    for (int i = 0; i < nLabels; i++) {
      int k = 4 * i;
      String name = strings.get(buf, lbl[k], lbl[k + 1], true);
      String value = labelValue(lbl[k + 2], lbl[k + 3]);
      // Insertion sort (labels are usually written sorted, so this rarely moves anything); the
      // builder is then filled in one pass.
      int j = i + 1;
      while (j > 0 && names[j - 1].compareTo(name) > 0) {
        names[j] = names[j - 1];
        values[j] = values[j - 1];
        j--;
      }
      names[j] = name;
      values[j] = value;
    }
    into.setAllSorted(names, values, nLabels + 1);
  }

  private String[] names = new String[16];
  private String[] values = new String[16];

  /**
   * Decodes a label value of the current series: unescaped only when a value of the series has a
   * backslash (the label scan saw it) and this value too.
   */
  protected final String labelValue(int vs, int ve) {
    if (seriesHasEscape && TextBytes.hasByte(buf, vs, ve, (byte) '\\')) {
      return TextBytes.unescape(buf, vs, ve, true);
    }
    return strings.get(buf, vs, ve, !seriesHasUtf8);
  }

  /** Parses the value token {@code [s, e)} into {@link #value}. */
  protected final void parseValue(int s, int e) throws ParseException {
    if (!floats.parse(buf, s, e)) {
      throw error(
          "strconv.ParseFloat: parsing " + GoQuote.quote(buf, s, e) + ": " + floats.error,
          s,
          false);
    }
    value = floats.result;
  }

  /** A positioned error: {@code what, got <char at at>: <line up to at>}. */
  protected final ParseException error(String what, int at) {
    return error(what, at, true);
  }

  protected final ParseException error(String what, int at, boolean withGot) {
    int line = 1;
    int lineStart = begin;
    for (int i = begin; i < at && i < end; i++) {
      if (buf[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    String reason = what;
    if (withGot) {
      reason += ", got " + (at >= end ? "EOF" : GoQuote.quote(buf, at, charEnd(at)));
    }
    int exEnd = at;
    if (exEnd <= lineStart) {
      exEnd = lineStart;
      while (exEnd < end && buf[exEnd] != '\n' && exEnd - lineStart < 40) {
        exEnd++;
      }
    }
    exEnd = Math.min(exEnd, end);
    int exStart = Math.max(lineStart, exEnd - EXCERPT_MAX);
    while (exStart > lineStart && exStart < exEnd && (buf[exStart] & 0xc0) == 0x80) {
      exStart++; // do not cut a UTF-8 sequence in half
    }
    String excerpt = (exStart > lineStart ? "..." : "") + GoQuote.quote(buf, exStart, exEnd);
    return new ParseException(reason, line, at - begin, excerpt);
  }

  private int charEnd(int at) {
    int c = buf[at] & 0xff;
    int n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    return Math.min(end, at + n);
  }
}
