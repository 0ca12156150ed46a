package dev.quarry.textparse;

import dev.quarry.model.CounterResetHint;
import dev.quarry.model.FloatHistogram;
import dev.quarry.model.Histogram;
import dev.quarry.model.Labels;
import dev.quarry.model.NameSyntax;
import dev.quarry.util.GoQuote;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parser for the protobuf exposition format ({@code application/vnd.google.protobuf;
 * proto=io.prometheus.client.MetricFamily; encoding=delimited}): varint-length-delimited {@code
 * MetricFamily} messages, presented entry by entry as the text parsers present a page, as
 * Prometheus' protobuf parser does. Each family gives HELP, UNIT (when it has one) and TYPE, then
 * its samples: counters, gauges and untyped metrics one series each; summaries {@code _count},
 * {@code _sum} and one series per quantile; classic histograms {@code _count}, {@code _sum} and one
 * {@code _bucket} series per bucket, a {@code +Inf} bucket added when the target left it out.
 * {@code le} and {@code quantile} values are formatted as Prometheus formats them ({@code 1} as
 * {@code 1.0}). A native histogram is one {@link Entry#HISTOGRAM} entry when native histograms are
 * on ({@link #configure}), followed by its classic series when they are kept too; with them off
 * only its classic series are given.
 *
 * <p>The raw series that {@link #buffer()} holds is synthesized, as Prometheus synthesizes it: the
 * metric name (with its suffix), then each label as {@code 0xff name 0xff value} in the order
 * written, then {@code le} or {@code quantile}. HELP, UNIT and TYPE entries put the family name
 * there. A timestamp of 0 means none, as in Prometheus. Owned by one thread at a time.
 */
public final class ProtobufParser implements Parser {
  private static final int FAMILY = 0;
  private static final int HELP = 1;
  private static final int UNIT = 2;
  private static final int TYPE = 3;
  private static final int SERIES = 4;
  private static final int HISTOGRAM = 5;
  private static final int DONE = 6;
  private static final byte SEP = (byte) 0xff;

  private final ProtoWire body = new ProtoWire();
  private final ProtoWire wire = new ProtoWire();
  private final ProtoMetric m = new ProtoMetric();
  private final Labels.Builder exemplarLabels = Labels.builder();
  private boolean nativeHistograms;
  private boolean classicHistograms = true;

  private byte[] buf = new byte[0];
  private int base;
  private int state = DONE;
  private final ByteScratch out = new ByteScratch();
  private final FloatFormat.Cache floats = new FloatFormat.Cache();

  // The current family.
  private int nameOff;
  private int nameLen;
  private String name;
  private int helpOff;
  private int helpLen;
  private int unitOff;
  private int unitLen;
  private int type;
  private int metrics;
  private int metric;
  private int[] metricOff = new int[16];
  private int[] metricEnd = new int[16];

  // The current sample within the metric: -2 _count, -1 _sum, else bucket or quantile index.
  private int fieldPos;
  private boolean fieldsDone;
  private boolean redoClassic;

  /**
   * Whether native histograms are given as {@link Entry#HISTOGRAM} entries, and whether a native
   * histogram's classic series are given as well ({@code always_scrape_classic_histograms}); with
   * native histograms off, classic series are always given. Kept across {@link #reset}.
   */
  public void configure(boolean nativeHistograms, boolean alsoClassic) {
    this.nativeHistograms = nativeHistograms;
    this.classicHistograms = alsoClassic;
  }

  @Override
  public void reset(byte[] b, int off, int len) {
    buf = b;
    base = off;
    body.reset(b, off, off, off + len);
    state = FAMILY;
  }

  @Override
  public Entry next() throws ParseException {
    while (true) {
      switch (state) {
        case FAMILY -> {
          if (!nextFamily()) {
            state = DONE;
            return Entry.EOF;
          }
          state = HELP;
          return Entry.HELP;
        }
        case HELP -> {
          state = unitLen > 0 ? UNIT : TYPE;
          return state == UNIT ? Entry.UNIT : Entry.TYPE;
        }
        case UNIT -> {
          state = TYPE;
          return Entry.TYPE;
        }
        case TYPE -> {
          metric = 0;
          return startMetric();
        }
        case SERIES -> {
          if (!fieldsDone) {
            fieldPos++;
            seriesBytes();
            return Entry.SERIES;
          }
          if (++metric < metrics) {
            return startMetric();
          }
          state = FAMILY;
        }
        case HISTOGRAM -> {
          if (redoClassic) {
            redoClassic = false;
            state = SERIES;
            fieldPos = -2;
            fieldsDone = false;
            seriesBytes();
            return Entry.SERIES;
          }
          if (++metric < metrics) {
            return startMetric();
          }
          state = FAMILY;
        }
        default -> {
          return Entry.EOF;
        }
      }
    }
  }

  /** Reads the next non-empty family's header and the positions of its metrics. */
  private boolean nextFamily() throws ParseException {
    while (body.more()) {
      int at = body.pos;
      int end = body.lengthEnd();
      wire.reset(buf, base, body.pos, end);
      body.pos = end;
      nameLen = helpLen = unitLen = metrics = 0;
      nameOff = helpOff = unitOff = at;
      type = 3; // UNTYPED is not the proto default (COUNTER is); set below when given
      int givenType = 0;
      while (wire.more()) {
        int tag = wire.tag();
        switch (tag) {
          case 1 << 3 | ProtoWire.LEN -> {
            int e = wire.lengthEnd();
            nameOff = wire.pos;
            nameLen = e - wire.pos;
            wire.pos = e;
          }
          case 2 << 3 | ProtoWire.LEN -> {
            int e = wire.lengthEnd();
            helpOff = wire.pos;
            helpLen = e - wire.pos;
            wire.pos = e;
          }
          case 3 << 3 | ProtoWire.VARINT -> givenType = (int) wire.varint();
          case 4 << 3 | ProtoWire.LEN -> {
            int e = wire.lengthEnd();
            if (metrics == metricOff.length) {
              metricOff = Arrays.copyOf(metricOff, metrics * 2);
              metricEnd = Arrays.copyOf(metricEnd, metrics * 2);
            }
            metricOff[metrics] = wire.pos;
            metricEnd[metrics++] = e;
            wire.pos = e;
          }
          case 5 << 3 | ProtoWire.LEN -> {
            int e = wire.lengthEnd();
            unitOff = wire.pos;
            unitLen = e - wire.pos;
            wire.pos = e;
          }
          default -> wire.skip(tag);
        }
      }
      type = givenType;
      name = new String(buf, nameOff, nameLen, StandardCharsets.UTF_8);
      if (!NameSyntax.isMetricName(name)) {
        throw ParseException.atByte(
            "protobuf: invalid metric name " + GoQuote.quote(name), at - base);
      }
      if (type < 0 || type > 5) {
        throw ParseException.atByte(
            "protobuf: unknown metric type for metric " + GoQuote.quote(name) + ": " + type,
            at - base);
      }
      if (metrics == 0) {
        continue; // an empty family, skipped as Prometheus does
      }
      out.clear();
      out.put(buf, nameOff, nameLen);
      return true;
    }
    return false;
  }

  private Entry startMetric() throws ParseException {
    wire.reset(buf, base, metricOff[metric], metricEnd[metric]);
    m.decode(wire, metricEnd[metric]);
    fieldPos = -2;
    fieldsDone = false;
    redoClassic = false;
    if (isHistogramType() && nativeHistograms && m.isNative()) {
      state = HISTOGRAM;
      redoClassic = classicHistograms && m.buckets > 0;
      seriesBytes();
      return Entry.HISTOGRAM;
    }
    state = SERIES;
    seriesBytes();
    return Entry.SERIES;
  }

  private boolean isHistogramType() {
    return type == 4 || type == 5;
  }

  private boolean isComplex() {
    return type == 2 || isHistogramType();
  }

  /** Writes the current sample's raw series to the scratch and updates {@code fieldsDone}. */
  private void seriesBytes() {
    out.clear();
    out.put(buf, nameOff, nameLen);
    if (state == SERIES && isComplex()) {
      if (fieldPos == -2) {
        out.putAscii("_count");
      } else if (fieldPos == -1) {
        out.putAscii("_sum");
        fieldsDone = type == 2 && m.quantiles == 0;
      } else if (isHistogramType()) {
        out.putAscii("_bucket");
      }
    } else {
      fieldsDone = true;
    }
    for (int i = 0; i < m.labels; i++) {
      out.put(SEP);
      out.put(buf, m.nameOff[i], m.nameLen[i]);
      out.put(SEP);
      out.put(buf, m.valueOff[i], m.valueLen[i]);
    }
    String magic = magicValue();
    if (magic != null) {
      out.put(SEP);
      out.putAscii(type == 2 ? "quantile" : "le");
      out.put(SEP);
      out.putAscii(magic);
    }
  }

  /** The {@code le} or {@code quantile} value of the current sample, or null; sets fieldsDone. */
  private String magicValue() {
    if (state != SERIES || fieldPos < 0 || !isComplex()) {
      return null;
    }
    if (type == 2) {
      fieldsDone = fieldPos == m.quantiles - 1;
      return floats.openMetrics(m.quantile[fieldPos]);
    }
    if (fieldPos >= m.buckets) {
      fieldsDone = true;
      return "+Inf";
    }
    double ub = m.upperBound[fieldPos];
    fieldsDone = ub == Double.POSITIVE_INFINITY;
    return floats.openMetrics(ub);
  }

  @Override
  public byte[] buffer() {
    return out.bytes;
  }

  @Override
  public int seriesOffset() {
    return 0;
  }

  @Override
  public int seriesLength() {
    return out.len;
  }

  @Override
  public long seriesHash() {
    return SeriesHash.hash(out.bytes, 0, out.len);
  }

  @Override
  public double value() {
    return m.value(type, fieldPos);
  }

  @Override
  public boolean hasTimestamp() {
    return m.timestampMs != 0;
  }

  @Override
  public long timestamp() {
    return m.timestampMs;
  }

  @Override
  public long createdTimestamp() {
    return m.createdMs;
  }

  @Override
  public boolean exemplar(Exemplar into) {
    int off;
    int end;
    if (state == SERIES && type == 0) {
      off = m.counterExemplarOff;
      end = m.counterExemplarEnd;
    } else if (state == SERIES && isHistogramType() && fieldPos >= 0 && fieldPos < m.buckets) {
      off = m.exemplarOff[fieldPos];
      end = m.exemplarEnd[fieldPos];
    } else {
      return false;
    }
    if (off < 0) {
      return false;
    }
    try {
      return ProtoExemplar.decode(wire, buf, base, off, end, exemplarLabels, into);
    } catch (ParseException e) {
      return false; // a broken exemplar is dropped; the sample stays
    }
  }

  /**
   * Fills the native histogram of the current {@link Entry#HISTOGRAM} entry into {@code h} (integer
   * counts) or {@code fh} (float counts, when the target sent {@code sample_count_float} or {@code
   * zero_count_float}) and returns true for the integer one. A gauge histogram's hint is {@link
   * CounterResetHint#GAUGE}. The histogram is not validated here.
   */
  @Override
  public boolean histogram(Histogram h, FloatHistogram fh) {
    m.fill(h, fh, type == 5 ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN);
    return !m.isFloatHistogram();
  }

  @Override
  public void labels(Labels.Builder into) {
    into.reset(Labels.EMPTY);
    String n = name;
    if (state == SERIES && isComplex() && (fieldPos < 0 || isHistogramType())) {
      n = fieldPos == -2 ? name + "_count" : fieldPos == -1 ? name + "_sum" : name + "_bucket";
    }
    into.set(Labels.METRIC_NAME, n);
    for (int i = 0; i < m.labels; i++) {
      into.set(
          new String(buf, m.nameOff[i], m.nameLen[i], StandardCharsets.UTF_8),
          new String(buf, m.valueOff[i], m.valueLen[i], StandardCharsets.UTF_8));
    }
    if (state == SERIES && fieldPos >= 0 && isComplex()) {
      boolean done = fieldsDone;
      into.set(type == 2 ? "quantile" : "le", magicValue());
      fieldsDone = done;
    }
  }

  @Override
  public Labels labels() {
    Labels.Builder b = Labels.builder();
    labels(b);
    return b.build();
  }

  @Override
  public int familyOffset() {
    return 0;
  }

  @Override
  public int familyLength() {
    return nameLen;
  }

  @Override
  public String familyName() {
    return name;
  }

  @Override
  public String help() {
    return new String(buf, helpOff, helpLen, StandardCharsets.UTF_8);
  }

  @Override
  public long helpHash() {
    return SeriesHash.hash(buf, helpOff, helpLen);
  }

  @Override
  public MetricType type() {
    return switch (type) {
      case 0 -> MetricType.COUNTER;
      case 1 -> MetricType.GAUGE;
      case 2 -> MetricType.SUMMARY;
      case 4 -> MetricType.HISTOGRAM;
      case 5 -> MetricType.GAUGEHISTOGRAM;
      default -> MetricType.UNKNOWN;
    };
  }

  @Override
  public String unit() {
    return new String(buf, unitOff, unitLen, StandardCharsets.UTF_8);
  }

  @Override
  public String comment() {
    return "";
  }
}
