package dev.quarry.promql;

import dev.quarry.model.Labels;
import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Expr.Binary;
import dev.quarry.promql.Expr.Call;
import dev.quarry.promql.Expr.MatrixSelector;
import dev.quarry.promql.Expr.Paren;
import dev.quarry.promql.Expr.Subquery;
import dev.quarry.promql.Expr.Unary;
import dev.quarry.promql.Expr.VectorMatching.Card;
import dev.quarry.promql.Expr.VectorSelector;
import dev.quarry.storage.Matcher;

/**
 * The type checks Prometheus' parser runs on a syntactically valid expression ({@code checkAST}),
 * in its order, so the first error reported is the one Prometheus reports: argument counts and
 * types, operand types of operators, vector matching rules, selector sanity.
 */
final class Checker {
  private final String query;

  Checker(String query) {
    this.query = query;
  }

  ValueType check(Expr e) {
    if (e instanceof Paren p) {
      check(p.expr());
    } else if (e instanceof Unary u) {
      ValueType t = check(u.expr());
      if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
        throw fail(
            e.pos(),
            "unary expression only allowed on expressions of type scalar or"
                + " instant vector, got "
                + GoQuote.quote(t.documented()));
      }
    } else if (e instanceof Subquery s) {
      ValueType t = check(s.expr());
      if (t != ValueType.VECTOR) {
        throw fail(
            e.pos(), "subquery is only allowed on instant vector, got " + t.apiName() + " instead");
      }
    } else if (e instanceof MatrixSelector m) {
      check(m.selector());
    } else if (e instanceof VectorSelector v) {
      selector(v);
    } else if (e instanceof Aggregate a) {
      expect(a.expr(), ValueType.VECTOR, "aggregation expression");
      if (a.op() == AggregateOp.TOPK
          || a.op() == AggregateOp.BOTTOMK
          || a.op() == AggregateOp.QUANTILE) {
        expect(a.param(), ValueType.SCALAR, "aggregation parameter");
      } else if (a.op() == AggregateOp.COUNT_VALUES) {
        expect(a.param(), ValueType.STRING, "aggregation parameter");
      }
    } else if (e instanceof Call c) {
      call(c);
    } else if (e instanceof Binary b) {
      binary(b);
    }
    return e.type();
  }

  private void selector(VectorSelector v) {
    if (!v.name().isEmpty()) {
      for (int k = 0; k < v.matchers().size() - 1; k++) {
        Matcher m = v.matchers().get(k);
        if (m.name().equals(Labels.METRIC_NAME)) {
          throw fail(
              v.pos(),
              "metric name must not be set twice: "
                  + GoQuote.quote(v.name())
                  + " or "
                  + GoQuote.quote(m.value()));
        }
      }
      return;
    }
    for (Matcher m : v.matchers()) {
      if (!m.matches("")) {
        return;
      }
    }
    throw fail(v.pos(), "vector selector must contain at least one non-empty matcher");
  }

  private void call(Call c) {
    Function f = c.func();
    int nargs = f.argTypes().size();
    String name = GoQuote.quote(f.name());
    int got = c.args().size();
    if (f.variadic() == 0) {
      if (nargs != got) {
        throw fail(
            c.pos(), "expected " + nargs + " argument(s) in call to " + name + ", got " + got);
      }
    } else {
      int min = nargs - 1;
      if (min > got) {
        throw fail(
            c.pos(),
            "expected at least " + min + " argument(s) in call to " + name + ", got " + got);
      } else if (f.variadic() > 0 && min + f.variadic() < got) {
        throw fail(
            c.pos(),
            "expected at most "
                + (min + f.variadic())
                + " argument(s) in call"
                + " to "
                + name
                + ", got "
                + got);
      }
    }
    for (int k = 0; k < got; k++) {
      int t = k;
      if (k >= nargs) {
        if (f.variadic() == 0) {
          break;
        }
        t = nargs - 1;
      }
      expect(c.args().get(k), f.argTypes().get(t), "call to function " + name);
    }
  }

  private void binary(Binary b) {
    ValueType lt = check(b.lhs());
    ValueType rt = check(b.rhs());
    BinaryOp op = b.op();
    if (b.returnBool() && !op.isComparison()) {
      throw fail(b.opPos(), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw fail(b.opPos(), "comparisons between scalars must use BOOL modifier");
    }
    Expr.VectorMatching vm = b.matching();
    if (vm != null && vm.on()) {
      for (String l : vm.labels()) {
        if (vm.include().contains(l)) {
          throw fail(
              b.opPos(),
              "label " + GoQuote.quote(l) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    String mustBe = "binary expression must contain only scalar and instant vector types";
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw fail(b.lhs().pos(), mustBe);
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw fail(b.rhs().pos(), mustBe);
    }
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (vm != null && !vm.labels().isEmpty()) {
        throw fail(b.pos(), "vector matching only allowed between instant vectors");
      }
    } else if (op.isSetOperator() && vm != null) {
      if (vm.card() == Card.ONE_TO_MANY || vm.card() == Card.MANY_TO_ONE) {
        throw fail(
            b.pos(), "no grouping allowed for " + GoQuote.quote(op.toString()) + " operation");
      }
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw fail(
          b.pos(),
          "set operator "
              + GoQuote.quote(op.toString())
              + " not allowed in binary scalar expression");
    }
  }

  private void expect(Expr e, ValueType want, String context) {
    ValueType t = check(e);
    if (t != want) {
      throw fail(
          e.pos(),
          "expected type " + want.documented() + " in " + context + ", got " + t.documented());
    }
  }

  private ParseException fail(int pos, String msg) {
    return new ParseException(query, pos, msg);
  }
}
