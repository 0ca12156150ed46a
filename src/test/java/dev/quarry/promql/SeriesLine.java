package dev.quarry.promql;

import dev.quarry.model.Labels;
import dev.quarry.model.StaleMarker;
import dev.quarry.storage.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A series in a test script's expanding notation: {@code metric{a="b"} 0+10x3 _ stale 5x2} expands
 * to 0 10 20 30, a missing sample, a staleness marker, 5 5 5; {@code _x2} is two missing samples,
 * {@code 1-1x2} counts down.
 */
record SeriesLine(Labels labels, List<Double> values) {
  static SeriesLine parse(String line) {
    int close = line.lastIndexOf('}');
    int split = close >= 0 ? close + 1 : line.indexOf(' ');
    if (split < 0) {
      split = line.length();
    }
    Labels labels = labels(line.substring(0, split).strip());
    List<Double> values = new ArrayList<>();
    for (String tok : line.substring(split).strip().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      if (tok.equals("_")) {
        values.add(null);
      } else if (tok.startsWith("_x")) {
        for (int i = Integer.parseInt(tok.substring(2)); i > 0; i--) {
          values.add(null);
        }
      } else if (tok.equals("stale")) {
        values.add(StaleMarker.STALE_NAN);
      } else if (tok.contains("x")) {
        int x = tok.lastIndexOf('x');
        int times = Integer.parseInt(tok.substring(x + 1));
        String head = tok.substring(0, x);
        int op = Math.max(head.lastIndexOf('+'), head.lastIndexOf('-'));
        double start;
        double inc;
        if (op > 0) {
          start = number(head.substring(0, op));
          inc = number(head.substring(op + 1)) * (head.charAt(op) == '-' ? -1 : 1);
        } else {
          start = number(head);
          inc = 0;
        }
        for (int i = 0; i <= times; i++) {
          values.add(start + inc * i);
        }
      } else {
        values.add(number(tok));
      }
    }
    return new SeriesLine(labels, values);
  }

  static Labels labels(String s) {
    if (s.equals("{}") || s.isEmpty()) {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    for (Matcher m : PromQL.parseMetricSelector(s)) {
      b.set(m.name(), m.value());
    }
    return b.build();
  }

  static double number(String s) {
    return StringLiterals.number(
            s.startsWith("+") ? s.substring(1) : s.startsWith("-") ? s.substring(1) : s)
        * (s.startsWith("-") ? -1 : 1);
  }
}
