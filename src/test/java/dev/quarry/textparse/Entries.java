package dev.quarry.textparse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Renders every entry of a body as one line of text, so tests compare what a user would see. */
final class Entries {
  private Entries() {}

  static List<String> of(Parser p, String body) throws ParseException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    p.reset(b, 0, b.length);
    List<String> out = new ArrayList<>();
    Exemplar ex = new Exemplar();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      switch (e) {
        case HELP -> out.add("HELP " + p.familyName() + " " + p.help());
        case TYPE -> out.add("TYPE " + p.familyName() + " " + p.type().wireName());
        case UNIT -> out.add("UNIT " + p.familyName() + " " + p.unit());
        case COMMENT -> out.add("COMMENT " + p.comment());
        case SERIES -> {
          String raw =
              new String(p.buffer(), p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8);
          String s =
              p.labels() + " " + render(p.value()) + (p.hasTimestamp() ? " @" + p.timestamp() : "");
          if (p.exemplar(ex)) {
            s +=
                " # "
                    + ex.labels()
                    + " "
                    + render(ex.value())
                    + (ex.hasTimestamp() ? " @" + ex.timestamp() : "");
          }
          out.add(s);
          if (p.seriesHash() != SeriesHash.hash(p.buffer(), p.seriesOffset(), p.seriesLength())
              || raw.isEmpty()) {
            throw new AssertionError("series view broken for " + raw);
          }
        }
        default -> throw new AssertionError(e);
      }
    }
    return out;
  }

  static String render(double v) {
    if (Double.isNaN(v)) {
      return Double.doubleToRawLongBits(v) == 0x7ff8000000000001L ? "NaN" : "NaN(non-canonical)";
    }
    return Double.toString(v);
  }
}
