package dev.quarry.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quarry.config.Durations;
import dev.quarry.model.Labels;
import dev.quarry.promql.engine.Engine;
import dev.quarry.promql.engine.EvalException;
import dev.quarry.promql.engine.QueryResult;
import dev.quarry.promql.engine.Sample;
import dev.quarry.promql.engine.Series;
import dev.quarry.storage.Appender;
import dev.quarry.storage.file.FileStorage;
import dev.quarry.storage.file.FileStorageSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs a PromQL test script in the spirit of Prometheus' promql/testdata: {@code load <interval>}
 * blocks of series in expanding notation ({@code 0+10x5}, {@code 1-2x3}, {@code _} for no sample,
 * {@code stale} for a staleness marker), {@code clear}, {@code eval instant at <time> <expr>} or
 * {@code eval_ordered …} followed by the expected elements ({@code labels value}, or a bare value
 * for a scalar or a {@code "string"}), {@code eval range from <t> to <t> step <d> <expr>} with
 * {@code labels v v _ v}, and {@code eval_fail instant at <time> <expr>} with an optional {@code
 * error <message>} line. Data goes through a real file store in a temporary directory and the read
 * SPI.
 */
final class ScriptRunner {
  private final String name;
  private final List<String> lines;
  private final Path dir;
  private FileStorage fs;
  private Engine engine;
  private int storeNo;

  ScriptRunner(String name, String text, Path dir) {
    this.name = name;
    this.lines = List.of(text.split("\n", -1));
    this.dir = dir;
  }

  /** One dynamic test per eval command; loads run as part of the following evals. */
  List<DynamicTest> tests() {
    List<DynamicTest> out = new ArrayList<>();
    List<Runnable> setup = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int block = i + 1;
      while (block < lines.size()
          && lines.get(block).startsWith(" ")
          && !lines.get(block).isBlank()) {
        block++;
      }
      List<String> body = lines.subList(i + 1, block);
      int lineNo = i + 1;
      if (line.startsWith("load ")) {
        long interval = Durations.parse(line.substring(5).strip()).toMillis();
        List<String> b = List.copyOf(body);
        setup.add(() -> load(interval, b));
      } else if (line.equals("clear")) {
        setup.add(this::clear);
      } else if (line.startsWith("eval")) {
        List<Runnable> pending = List.copyOf(setup);
        setup.clear();
        List<String> b = List.copyOf(body);
        String cmd = line;
        out.add(
            DynamicTest.dynamicTest(
                name + ":" + lineNo + " " + cmd,
                () -> {
                  pending.forEach(Runnable::run);
                  eval(cmd, b);
                }));
        // later evals must still see the data: keep setup applied once
      } else {
        throw new IllegalArgumentException(name + ":" + lineNo + ": unknown command " + line);
      }
      i = block - 1;
    }
    if (!setup.isEmpty()) {
      out.add(DynamicTest.dynamicTest(name + ": close", () -> setup.forEach(Runnable::run)));
    }
    out.add(DynamicTest.dynamicTest(name + ": close store", this::close));
    return out;
  }

  private void ensureStore() {
    if (fs == null) {
      try {
        fs =
            FileStorage.open(
                Files.createDirectories(dir.resolve("s" + storeNo++)),
                FileStorageSettings.DEFAULTS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      engine = new Engine(fs.querier(), Engine.Settings.DEFAULTS);
    }
  }

  private void clear() {
    close();
  }

  private void close() {
    if (fs != null) {
      try {
        fs.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      fs = null;
    }
  }

  private void load(long interval, List<String> body) {
    ensureStore();
    TreeMap<Long, List<Object[]>> byTime = new TreeMap<>();
    for (String l : body) {
      SeriesLine s = SeriesLine.parse(l.strip());
      for (int k = 0; k < s.values().size(); k++) {
        Double v = s.values().get(k);
        if (v != null) {
          byTime
              .computeIfAbsent(k * interval, t -> new ArrayList<>())
              .add(new Object[] {s.labels(), v});
        }
      }
    }
    for (Map.Entry<Long, List<Object[]>> e : byTime.entrySet()) {
      Appender app = fs.appender();
      for (Object[] x : e.getValue()) {
        app.append(0, (Labels) x[0], e.getKey(), (Double) x[1]);
      }
      app.commit();
    }
  }

  private void eval(String cmd, List<String> body) {
    ensureStore();
    String[] words = cmd.split("\\s+", 2);
    String kind = words[0];
    String rest = words[1];
    if (rest.startsWith("instant at ")) {
      rest = rest.substring("instant at ".length());
      int sp = rest.indexOf(' ');
      long t = Durations.parse(rest.substring(0, sp)).toMillis();
      String expr = rest.substring(sp + 1);
      if (kind.equals("eval_fail")) {
        RuntimeException e =
            assertThrows(RuntimeException.class, () -> engine.instant(expr, t), expr);
        if (!(e instanceof ParseException || e instanceof EvalException)) {
          throw e;
        }
        if (!body.isEmpty() && body.get(0).strip().startsWith("error ")) {
          assertEquals(body.get(0).strip().substring(6), e.getMessage(), expr);
        }
        return;
      }
      check(expr, engine.instant(expr, t), body, kind.equals("eval_ordered"));
    } else if (rest.startsWith("range from ")) {
      String[] p = rest.substring("range from ".length()).split("\\s+", 6);
      long start = Durations.parse(p[0]).toMillis();
      long end = Durations.parse(p[2]).toMillis();
      long step = Durations.parse(p[4]).toMillis();
      String expr = p[5];
      if (kind.equals("eval_fail")) {
        RuntimeException e =
            assertThrows(
                RuntimeException.class,
                () -> engine.range(PromQL.parse(expr), start, end, step, new AtomicBoolean()),
                expr);
        if (!body.isEmpty() && body.get(0).strip().startsWith("error ")) {
          assertEquals(body.get(0).strip().substring(6), e.getMessage(), expr);
        }
        return;
      }
      QueryResult.Matrix m =
          engine.range(PromQL.parse(expr), start, end, step, new AtomicBoolean());
      Map<String, String> got = new TreeMap<>();
      for (Series s : m.series()) {
        List<String> vs = new ArrayList<>();
        int i = 0;
        for (long t = start; t <= end; t += step) {
          if (i < s.size() && s.t(i) == t) {
            vs.add(Printer.number(s.v(i++)));
          } else {
            vs.add("_");
          }
        }
        got.put(s.metric().toString(), String.join(" ", vs));
      }
      Map<String, String> want = new TreeMap<>();
      for (String l : body) {
        SeriesLine s = SeriesLine.parse(l.strip());
        List<String> vs = new ArrayList<>();
        for (Double v : s.values()) {
          vs.add(v == null ? "_" : Printer.number(v));
        }
        want.put(s.labels().toString(), String.join(" ", vs));
      }
      assertEquals(want, got, expr);
    } else {
      fail("bad eval: " + cmd);
    }
  }

  private static void check(String expr, QueryResult r, List<String> body, boolean ordered) {
    List<String> want = new ArrayList<>();
    List<String> got = new ArrayList<>();
    if (r instanceof QueryResult.Matrix m) {
      for (String l : body) {
        String x = l.strip();
        int close = x.lastIndexOf('}');
        want.add(
            SeriesLine.labels(x.substring(0, close + 1)) + " " + x.substring(close + 1).strip());
      }
      for (Series s : m.series()) {
        List<String> vs = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
          vs.add(Printer.number(s.v(i)) + "@" + Printer.number(s.t(i) / 1000.0));
        }
        got.add(s.metric() + " " + String.join(" ", vs));
      }
    } else {
      for (String l : body) {
        String s = l.strip();
        if (r instanceof QueryResult.Scalar && s.startsWith("{} ")) {
          s = s.substring(3);
        }
        if (s.startsWith("\"")) {
          want.add(s);
        } else if (!s.contains(" ")) {
          want.add(Printer.number(round(SeriesLine.number(s))));
        } else {
          int sp = s.lastIndexOf(' ');
          want.add(
              SeriesLine.labels(s.substring(0, sp).strip())
                  + " "
                  + Printer.number(round(SeriesLine.number(s.substring(sp + 1)))));
        }
      }
      if (r instanceof QueryResult.Scalar s) {
        got.add(Printer.number(round(s.v())));
      } else if (r instanceof QueryResult.Str s) {
        got.add(GoQuote.quote(s.v()));
      } else {
        for (Sample s : ((QueryResult.Vector) r).samples()) {
          got.add(s.metric() + " " + Printer.number(round(s.v())));
        }
      }
    }
    if (!ordered) {
      want.sort(null);
      got.sort(null);
    }
    assertEquals(String.join("\n", want), String.join("\n", got), expr);
  }

  /** Values compared to 12 significant digits, as Prometheus' tests compare almost-equal. */
  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return v;
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(12)).doubleValue();
  }
}
