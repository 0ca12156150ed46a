package dev.quarry.promql.engine;

import dev.quarry.model.Labels;
import dev.quarry.promql.Expr;
import dev.quarry.promql.Expr.Call;
import dev.quarry.promql.Expr.StringLiteral;
import dev.quarry.relabel.ExpandTemplate;
import dev.quarry.relabel.Re2Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * label_replace and label_join as in Prometheus 2.42: the regex is RE2, fully anchored, the
 * replacement expanded as Go's {@code Regexp.Expand}; an empty result removes the label; names are
 * checked before evaluation; metric names are kept.
 */
final class LabelFunctions {
  private LabelFunctions() {}

  static Evaluator.StepFn of(Call c) {
    List<String> s = new ArrayList<>();
    for (int i = 1; i < c.args().size(); i++) {
      s.add(((StringLiteral) Evaluator.unwrap(c.args().get(i))).value());
    }
    return c.func().name().equals("label_replace") ? replace(s) : join(s);
  }

  private static Evaluator.StepFn replace(List<String> s) {
    String dst = s.get(0);
    String src = s.get(2);
    Re2Pattern re;
    try {
      re = Re2Pattern.compile(s.get(3));
    } catch (IllegalArgumentException e) {
      throw EvalException.exec("invalid regular expression in label_replace(): " + s.get(3));
    }
    if (!LabelOps.validName(dst)) {
      throw EvalException.exec("invalid destination label name in label_replace(): " + dst);
    }
    ExpandTemplate tpl = ExpandTemplate.parse(s.get(1), re);
    return (a, ts) -> {
      List<Sample> out = new ArrayList<>(a.get(0).size());
      for (Sample x : a.get(0)) {
        String v = x.metric().get(src);
        int[] groups = re.match(v);
        Labels l = x.metric();
        if (groups != null) {
          String res = tpl.expand(v, groups);
          l = l.toBuilder().del(dst).set(dst, res).build();
        }
        out.add(new Sample(l, ts, x.v()));
      }
      return out;
    };
  }

  private static Evaluator.StepFn join(List<String> s) {
    String dst = s.get(0);
    String sep = s.get(1);
    List<String> srcs = s.subList(2, s.size());
    if (!LabelOps.validName(dst)) {
      throw EvalException.exec("invalid destination label name in label_join(): " + dst);
    }
    for (String src : srcs) {
      if (!LabelOps.validName(src)) {
        throw EvalException.exec("invalid source label name in label_join(): " + src);
      }
    }
    return (a, ts) -> {
      List<Sample> out = new ArrayList<>(a.get(0).size());
      for (Sample x : a.get(0)) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < srcs.size(); i++) {
          if (i > 0) {
            sb.append(sep);
          }
          sb.append(x.metric().get(srcs.get(i)));
        }
        out.add(new Sample(x.metric().toBuilder().set(dst, sb.toString()).build(), ts, x.v()));
      }
      return out;
    };
  }

  static String string(Expr e) {
    return ((StringLiteral) Evaluator.unwrap(e)).value();
  }
}
