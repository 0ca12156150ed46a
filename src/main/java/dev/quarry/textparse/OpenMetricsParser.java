package dev.quarry.textparse;

import dev.quarry.model.Labels;
import dev.quarry.util.GoQuote;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parser for OpenMetrics 1.0 text. It refuses what Prometheus 2.42 refuses (single spaces, no
 * blank lines or free comments, a final {@code # EOF} with nothing after it, {@code # UNIT} a
 * suffix of its family name, timestamps in float seconds, one exemplar per sample and only on names
 * ending in {@code _total} or {@code _bucket}) and reports the other rules of the specification as
 * {@link #warnings()}: families ({@link OpenMetricsFamilies}) and the rules of each type ({@link
 * OpenMetricsChecks}). Timestamps are returned in milliseconds. An exemplar whose label set exceeds
 * 128 code points is dropped (the sample is kept), as Prometheus' storage drops it; {@link
 * #droppedExemplars()} counts them. See {@link Parser} for the contract; views are valid until the
 * next call to {@code next()}. Not thread-safe.
 */
public final class OpenMetricsParser extends AbstractTextParser {
  /** Limit on the code points of an exemplar's label names and values together. */
  public static final int EXEMPLAR_MAX_LABEL_SET_LENGTH = 128;

  private final OpenMetricsFamilies families = new OpenMetricsFamilies(this);
  private final OpenMetricsChecks checks = new OpenMetricsChecks(this, families);
  private int[] exLbl = new int[16];
  private int exLabels;
  private boolean hasExemplar;
  private boolean exemplarTaken;
  private double exValue;
  private boolean exHasTs;
  private long exTs;
  private int droppedExemplars;
  private final Labels.Builder exBuilder = Labels.builder();

  public OpenMetricsParser() {}

  public OpenMetricsParser(byte[] body) {
    reset(body, 0, body.length);
  }

  @Override
  public void reset(byte[] buffer, int off, int len) {
    super.reset(buffer, off, len);
    families.reset(buffer);
    checks.reset();
    hasExemplar = false;
    droppedExemplars = 0;
  }

  /** Exemplars dropped since the last reset because their label set was too long. */
  public int droppedExemplars() {
    return droppedExemplars;
  }

  @Override
  public Entry next() throws ParseException {
    if (entry == Entry.EOF) {
      return Entry.EOF;
    }
    hasExemplar = false;
    int p = pos;
    if (p >= end) {
      throw error("data does not end with # EOF", p, false);
    }
    byte c = buf[p];
    if (c == '#') {
      return entry = metaLine();
    }
    if (TextBytes.isMetricNameStart(c)) {
      return entry = series();
    }
    throw error("expected a valid start token", p);
  }

  private boolean at(int p, String word) {
    if (p + word.length() > end) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (buf[p + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private Entry metaLine() throws ParseException {
    final byte[] b = buf;
    int p = pos + 1;
    if (p >= end || b[p] != ' ') {
      throw error("expected a space after '#' (OpenMetrics has no free comments)", p);
    }
    p++;
    Entry kind;
    if (at(p, "HELP ")) {
      kind = Entry.HELP;
    } else if (at(p, "TYPE ")) {
      kind = Entry.TYPE;
    } else if (at(p, "UNIT ")) {
      kind = Entry.UNIT;
    } else if (at(p, "EOF")) {
      int q = p + 3;
      if (q < end && b[q] == '\n') {
        q++;
      }
      if (q != end) {
        throw error("unexpected data after # EOF", q);
      }
      checks.finish();
      pos = end;
      return Entry.EOF;
    } else {
      throw error("expected HELP, TYPE, UNIT or EOF after \"# \"", p);
    }
    p += 5;
    if (p >= end || !TextBytes.isMetricNameStart(b[p])) {
      throw error("expected metric name after " + kind, p);
    }
    metaStart = p++;
    while (p < end && TextBytes.isMetricNameChar(b[p])) {
      p++;
    }
    metaEnd = p;
    if (p >= end || b[p] != ' ') {
      throw error("expected text in " + kind, p);
    }
    // Help texts are long: one pass finds the line's end and whether the text is all ASCII.
    int lineEnd = TextBytes.indexOfOrHigh(b, p + 1, end, (byte) '\n');
    boolean ascii = lineEnd >= end || b[lineEnd] == '\n';
    if (!ascii) {
      lineEnd = TextBytes.indexOf(b, lineEnd, end, (byte) '\n');
    }
    if (lineEnd >= end) {
      throw error("data does not end with # EOF", lineEnd, false);
    }
    textStart = p + 1;
    textEnd = lineEnd;
    switch (kind) {
      case TYPE -> {
        metaType = MetricType.ofWireName(b, textStart, textEnd);
        if (metaType == null) {
          throw error(
              "invalid metric type " + GoQuote.quote(b, textStart, textEnd), textStart, false);
        }
      }
      case HELP -> {
        if (!ascii && !TextBytes.validUtf8(b, textStart, textEnd)) {
          throw error(
              "help text " + GoQuote.quote(b, textStart, textEnd) + " is not a valid utf8 string",
              textStart,
              false);
        }
      }
      default -> checkUnit();
    }
    families.onMeta(kind, metaStart, metaEnd, metaType, textEnd > textStart);
    pos = lineEnd + 1;
    return kind;
  }

  private void checkUnit() throws ParseException {
    int u = textEnd - textStart;
    int m = metaEnd - metaStart;
    if (u == 0) {
      return;
    }
    if (m < u + 1
        || !Arrays.equals(buf, metaEnd - u, metaEnd, buf, textStart, textEnd)
        || buf[metaEnd - u - 1] != '_') {
      throw error(
          "unit "
              + GoQuote.quote(buf, textStart, textEnd)
              + " not a suffix of metric "
              + GoQuote.quote(buf, metaStart, metaEnd),
          textStart,
          false);
    }
  }

  private Entry series() throws ParseException {
    startSeries();
    final byte[] b = buf;
    final int e = end;
    int p = pos;
    nameStart = p;
    seriesStart = p;
    p++;
    while (p < e && TextBytes.isMetricNameChar(b[p])) {
      p++;
    }
    nameEnd = p;
    if (p < e && b[p] == '{') {
      p = labelBlock(p + 1, false);
    }
    seriesEnd = p;
    if (p >= e || b[p] != ' ') {
      throw error("expected value after metric", p);
    }
    int v = p + 1;
    int ve = token(v);
    if (ve == v) {
      throw error("expected value after metric", v);
    }
    parseValue(v, ve);
    p = ve;
    if (p >= e) {
      throw error("data does not end with # EOF", p, false);
    }
    if (b[p] == ' ' && !exemplarStart(p)) {
      int t = p + 1;
      int te = token(t);
      if (te == t) {
        throw error("expected timestamp or exemplar", t);
      }
      ts = seconds(t, te, "invalid timestamp");
      hasTs = true;
      p = te;
      if (p >= e) {
        throw error("data does not end with # EOF", p, false);
      }
    }
    if (b[p] == ' ') {
      if (!exemplarStart(p)) {
        throw error("expected next entry after timestamp", p);
      }
      if (!endsWith(TOTAL) && !endsWith(BUCKET)) { // Prometheus' rule, by name only
        throw error(
            "metric name "
                + new String(b, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8)
                + " does not support exemplars",
            nameStart,
            false);
      }
      p = exemplar(p + 4);
    }
    if (b[p] != '\n') {
      throw error("expected next entry after value", p);
    }
    checkDuplicateLabels(); // after the line, as Prometheus refuses such a sample on append
    families.onSample(nameStart, nameEnd);
    checks.onSample(hasExemplar);
    pos = p + 1;
    return Entry.SERIES;
  }

  private static final byte[] TOTAL = {'_', 't', 'o', 't', 'a', 'l'};
  private static final byte[] BUCKET = {'_', 'b', 'u', 'c', 'k', 'e', 't'};

  private boolean endsWith(byte[] suffix) {
    int s = nameEnd - suffix.length;
    return s >= nameStart && Arrays.equals(buf, s, nameEnd, suffix, 0, suffix.length);
  }

  private boolean exemplarStart(int p) {
    return p + 3 < end && buf[p + 1] == '#' && buf[p + 2] == ' ' && buf[p + 3] == '{';
  }

  /** End of a run of bytes other than space and newline. */
  private int token(int p) {
    final byte[] b = buf;
    while (p < end && b[p] != ' ' && b[p] != '\n') {
      p++;
    }
    return p;
  }

  /** Parses float seconds into milliseconds, truncating as Prometheus does. */
  private long seconds(int s, int e, String what) throws ParseException {
    if (!floats.parse(buf, s, e)) {
      throw error(
          "strconv.ParseFloat: parsing " + GoQuote.quote(buf, s, e) + ": " + floats.error,
          s,
          false);
    }
    double secs = floats.result;
    if (Double.isNaN(secs) || Double.isInfinite(secs)) {
      throw error(what + " " + GoQuote.quote(buf, s, e), s, false);
    }
    return (long) (secs * 1000);
  }

  /** Scans an exemplar from just after "# {"; returns the offset of the line's end. */
  private int exemplar(int p) throws ParseException {
    double sampleValue = value;
    exLabels = 0;
    p = labelBlock(p, true);
    if (p >= end || buf[p] != ' ') {
      throw error("expected value after exemplar labels", p);
    }
    int v = p + 1;
    int ve = token(v);
    if (ve == v) {
      throw error("expected value after exemplar labels", v);
    }
    parseValue(v, ve);
    exValue = value;
    exHasTs = false;
    p = ve;
    if (p < end && buf[p] == ' ') {
      int te = token(p + 1);
      if (te == p + 1) {
        throw error("expected exemplar timestamp", p + 1);
      }
      exTs = seconds(p + 1, te, "invalid exemplar timestamp");
      exHasTs = true;
      p = te;
    }
    if (p >= end) {
      throw error("data does not end with # EOF", p, false);
    }
    if (buf[p] != '\n') {
      throw error("expected next entry after exemplar", p);
    }
    value = sampleValue;
    hasExemplar = true;
    exemplarTaken = false;
    return p;
  }

  /** Scans a strict label block from just after '{'; returns the offset just after '}'. */
  private int labelBlock(int p, boolean forExemplar) throws ParseException {
    final byte[] b = buf;
    final int e = end;
    while (true) {
      if (p >= e) {
        throw error("expected label name", p);
      }
      byte c = b[p];
      if (c == '}') {
        return p + 1;
      }
      if (!TextBytes.isLabelNameStart(c)) {
        throw error("expected label name", p);
      }
      int ns = p++;
      while (p < e && TextBytes.isLabelNameChar(b[p])) {
        p++;
      }
      int ne = p;
      if (p >= e || b[p] != '=') {
        throw error("expected equal", p);
      }
      p++;
      if (p >= e || b[p] != '"') {
        throw error("expected label value", p);
      }
      int open = p;
      int vs = ++p;
      boolean high = false;
      boolean escaped = false;
      while (true) {
        while (p < e && TextBytes.isPlainValueByte(b[p])) {
          p++;
        }
        if (p >= e || b[p] == '\n') {
          throw error("unterminated label value", open, false);
        }
        c = b[p];
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (p + 1 >= e || b[p + 1] == '\n') {
            throw error("invalid escape in label value", p);
          }
          escaped = true;
          p += 2;
          continue;
        }
        if (c < 0) {
          high = true;
        }
        p++;
      }
      int ve = p++;
      if (high && !TextBytes.validUtf8(b, vs, ve)) {
        throw error("invalid UTF-8 label value: " + GoQuote.quote(b, vs, ve), vs, false);
      }
      if (forExemplar) {
        addExemplarLabel(ns, ne, vs, ve);
      } else {
        seriesHasUtf8 |= high;
        seriesHasEscape |= escaped;
        addLabel(ns, ne, vs, ve);
      }
      if (p < e && b[p] == ',') {
        if (++p < e && b[p] == '}') {
          throw error("expected label name", p); // a trailing comma, refused as Prometheus does
        }
      } else if (p >= e || b[p] != '}') {
        throw error("expected comma or brace close", p);
      }
    }
  }

  private void addExemplarLabel(int ns, int ne, int vs, int ve) {
    int k = exLabels * 4;
    if (k + 4 > exLbl.length) {
      exLbl = Arrays.copyOf(exLbl, exLbl.length * 2);
    }
    exLbl[k] = ns;
    exLbl[k + 1] = ne;
    exLbl[k + 2] = vs;
    exLbl[k + 3] = ve;
    exLabels++;
  }

  /**
   * Returns the sample's exemplar once per sample (later calls return false, as Prometheus' parser
   * does), or false when there is none or its label set is over the length limit.
   */
  @Override
  public boolean exemplar(Exemplar into) {
    if (!hasExemplar || exemplarTaken) {
      return false;
    }
    exemplarTaken = true;
    exBuilder.reset(Labels.EMPTY);
    int length = 0;
    for (int i = 0; i < exLabels; i++) {
      int k = 4 * i;
      String name = StringCache.make(buf, exLbl[k], exLbl[k + 1], true);
      int vs = exLbl[k + 2];
      int ve = exLbl[k + 3];
      String val =
          noBackslash() || !TextBytes.hasByte(buf, vs, ve, (byte) '\\')
              ? StringCache.make(buf, vs, ve, false)
              : TextBytes.unescape(buf, vs, ve, true);
      length += name.length() + val.codePointCount(0, val.length());
      exBuilder.set(name, val);
    }
    if (length > EXEMPLAR_MAX_LABEL_SET_LENGTH) {
      droppedExemplars++;
      warn("exemplar dropped: its labels exceed 128 characters", nameStart);
      return false;
    }
    into.set(exBuilder.build(), exValue, exHasTs, exTs);
    return true;
  }

  @Override
  public String help() {
    if (noBackslash() || !TextBytes.hasByte(buf, textStart, textEnd, (byte) '\\')) {
      return new String(buf, textStart, textEnd - textStart, StandardCharsets.UTF_8);
    }
    return TextBytes.unescape(buf, textStart, textEnd, true);
  }
}
