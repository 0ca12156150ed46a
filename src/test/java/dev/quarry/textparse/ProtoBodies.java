package dev.quarry.textparse;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Hand-written protobuf bodies for what client_java does not write: float and gauge histograms,
 * timestamps, unpacked repeated fields, broken bytes. Field numbers from client_model's
 * metrics.proto.
 */
final class ProtoBodies {
  private ProtoBodies() {}

  /** A message being written: fields appended in call order. */
  static final class Msg {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Msg string(int field, String s) {
      return io(() -> out.writeString(field, s));
    }

    Msg varint(int field, long v) {
      return io(() -> out.writeUInt64(field, v));
    }

    Msg sint(int field, long v) {
      return io(() -> out.writeSInt64(field, v));
    }

    Msg dbl(int field, double v) {
      return io(() -> out.writeDouble(field, v));
    }

    Msg msg(int field, Msg m) {
      return io(() -> out.writeByteArray(field, m.bytes()));
    }

    /** A packed repeated double field. */
    Msg packed(int field, double... vs) {
      return io(
          () -> {
            out.writeTag(field, 2);
            out.writeUInt32NoTag(vs.length * 8);
            for (double v : vs) {
              out.writeDoubleNoTag(v);
            }
          });
    }

    byte[] bytes() {
      io(out::flush);
      return bytes.toByteArray();
    }

    private interface IoStep {
      void run() throws IOException;
    }

    private Msg io(IoStep s) {
      try {
        s.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }

  static Msg msg() {
    return new Msg();
  }

  /** Families, each with its varint length prefix. */
  static byte[] delimited(Msg... families) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(b);
    try {
      for (Msg f : families) {
        byte[] x = f.bytes();
        out.writeUInt32NoTag(x.length);
        out.writeRawBytes(x);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }
}
