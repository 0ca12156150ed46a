package dev.quarry.textparse;

import dev.quarry.model.Labels;
import java.nio.charset.StandardCharsets;

/**
 * Decodes an {@code io.prometheus.client.Exemplar} message (labels, value, timestamp) into an
 * {@link Exemplar}, as Prometheus reads it: labels sorted, the timestamp in milliseconds (seconds
 * times 1000 plus whole milliseconds of the nanos), none when the message has no timestamp.
 * Stateless.
 */
final class ProtoExemplar {
  private ProtoExemplar() {}

  static boolean decode(
      ProtoWire w, byte[] buf, int base, int off, int end, Labels.Builder lb, Exemplar into)
      throws ParseException {
    w.reset(buf, base, off, end);
    lb.reset(Labels.EMPTY);
    double value = 0;
    boolean hasTs = false;
    long ts = 0;
    while (w.more()) {
      int t = w.tag();
      switch (t) {
        case 1 << 3 | ProtoWire.LEN -> label(w, buf, lb);
        case 2 << 3 | ProtoWire.FIXED64 -> value = w.fixed64Double();
        case 3 << 3 | ProtoWire.LEN -> {
          int e = w.lengthEnd();
          int saved = w.limit;
          w.limit = e;
          long seconds = 0;
          long nanos = 0;
          while (w.more()) {
            int f = w.tag();
            switch (f) {
              case 1 << 3 | ProtoWire.VARINT -> seconds = w.varint();
              case 2 << 3 | ProtoWire.VARINT -> nanos = (int) w.varint();
              default -> w.skip(f);
            }
          }
          w.limit = saved;
          hasTs = true;
          ts = seconds * 1000 + nanos / 1_000_000;
        }
        default -> w.skip(t);
      }
    }
    into.set(lb.build(), value, hasTs, ts);
    return true;
  }

  private static void label(ProtoWire w, byte[] buf, Labels.Builder lb) throws ParseException {
    int e = w.lengthEnd();
    int saved = w.limit;
    w.limit = e;
    String name = "";
    String value = "";
    while (w.more()) {
      int t = w.tag();
      if (t == (1 << 3 | ProtoWire.LEN) || t == (2 << 3 | ProtoWire.LEN)) {
        int fe = w.lengthEnd();
        String s = new String(buf, w.pos, fe - w.pos, StandardCharsets.UTF_8);
        w.pos = fe;
        if (t >>> 3 == 1) {
          name = s;
        } else {
          value = s;
        }
      } else {
        w.skip(t);
      }
    }
    w.limit = saved;
    lb.set(name, value);
  }
}
