package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import dev.quarry.storage.Metadata;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalRecord.Exemplars;
import dev.quarry.storage.WalRecord.MetadataEntries;
import dev.quarry.storage.WalRecord.RefExemplar;
import dev.quarry.storage.WalRecord.RefLabels;
import dev.quarry.storage.WalRecord.RefMetadata;
import dev.quarry.storage.WalRecord.Samples;
import dev.quarry.storage.WalRecord.Series;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload encoding of {@link WalRecord}s (layout in its doc): the first payload byte is the
 * record type; framing and checksums are {@link WalSegment}'s business. Stateless.
 */
final class WalCodec {
  static final byte SERIES = 1;
  static final byte SAMPLES = 2;
  static final byte METADATA = 3;
  static final byte EXEMPLARS = 4;

  private WalCodec() {}

  static void encodeExemplars(ByteSink out, List<RefExemplar> exemplars) {
    out.put(EXEMPLARS);
    out.putUvarint(exemplars.size());
    for (RefExemplar e : exemplars) {
      out.putUvarint(e.ref());
      out.putVarint(e.timestamp());
      out.putDouble(e.value());
      out.putUvarint(e.labels().size());
      for (int i = 0; i < e.labels().size(); i++) {
        out.putString(e.labels().name(i));
        out.putString(e.labels().value(i));
      }
    }
  }

  static void encodeSeries(ByteSink out, List<RefLabels> series) {
    out.put(SERIES);
    out.putUvarint(series.size());
    for (RefLabels s : series) {
      out.putUvarint(s.ref());
      out.putUvarint(s.labels().size());
      for (int i = 0; i < s.labels().size(); i++) {
        out.putString(s.labels().name(i));
        out.putString(s.labels().value(i));
      }
    }
  }

  static void encodeSamples(ByteSink out, long[] refs, long[] ts, double[] vs, int n) {
    out.put(SAMPLES);
    out.putUvarint(n);
    if (n == 0) {
      return;
    }
    out.putUvarint(refs[0]);
    out.putVarint(ts[0]);
    long prevRef = refs[0];
    long prevT = ts[0];
    for (int i = 0; i < n; i++) {
      out.putVarint(refs[i] - prevRef);
      out.putVarint(ts[i] - prevT);
      out.putDouble(vs[i]);
      prevRef = refs[i];
      prevT = ts[i];
    }
  }

  static void encodeMetadata(ByteSink out, List<RefMetadata> entries) {
    out.put(METADATA);
    out.putUvarint(entries.size());
    for (RefMetadata e : entries) {
      out.putUvarint(e.ref());
      out.putString(e.metadata().type());
      out.putString(e.metadata().unit());
      out.putString(e.metadata().help());
    }
  }

  /** Decodes one payload; throws {@link CorruptDataException} when it is malformed. */
  static WalRecord decode(byte[] buf, int off, int len) {
    ByteSource in = new ByteSource(buf, off, len);
    int type = in.get();
    WalRecord r =
        switch (type) {
          case SERIES -> decodeSeries(in);
          case SAMPLES -> decodeSamples(in);
          case METADATA -> decodeMetadata(in);
          case EXEMPLARS -> decodeExemplars(in);
          default -> throw new CorruptDataException("unknown WAL record type " + type);
        };
    if (in.hasRemaining()) {
      throw new CorruptDataException("trailing bytes after WAL record at byte " + in.position());
    }
    return r;
  }

  private static Series decodeSeries(ByteSource in) {
    int n = in.getCount();
    List<RefLabels> out = new ArrayList<>(n);
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < n; i++) {
      long ref = in.getUvarint();
      int nl = in.getCount();
      b.reset(Labels.EMPTY);
      for (int j = 0; j < nl; j++) {
        b.set(in.getString(), in.getString());
      }
      out.add(new RefLabels(ref, b.build()));
    }
    return new Series(out);
  }

  private static Samples decodeSamples(ByteSource in) {
    int n = in.getCount();
    long[] refs = new long[n];
    long[] ts = new long[n];
    double[] vs = new double[n];
    if (n > 0) {
      long ref = in.getUvarint();
      long t = in.getVarint();
      for (int i = 0; i < n; i++) {
        ref += in.getVarint();
        t += in.getVarint();
        refs[i] = ref;
        ts[i] = t;
        vs[i] = in.getDouble();
      }
    }
    return new Samples(refs, ts, vs);
  }

  private static Exemplars decodeExemplars(ByteSource in) {
    int n = in.getCount();
    List<RefExemplar> out = new ArrayList<>(n);
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < n; i++) {
      long ref = in.getUvarint();
      long t = in.getVarint();
      double v = in.getDouble();
      int nl = in.getCount();
      b.reset(Labels.EMPTY);
      for (int j = 0; j < nl; j++) {
        b.set(in.getString(), in.getString());
      }
      out.add(new RefExemplar(ref, t, v, b.build()));
    }
    return new Exemplars(out);
  }

  private static MetadataEntries decodeMetadata(ByteSource in) {
    int n = in.getCount();
    List<RefMetadata> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long ref = in.getUvarint();
      String type = in.getString();
      String unit = in.getString();
      String help = in.getString();
      out.add(new RefMetadata(ref, new Metadata(type, help, unit)));
    }
    return new MetadataEntries(out);
  }
}
