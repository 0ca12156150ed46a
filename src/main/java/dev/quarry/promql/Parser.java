package dev.quarry.promql;

import dev.quarry.config.Durations;
import dev.quarry.model.Labels;
import dev.quarry.promql.Expr.Aggregate;
import dev.quarry.promql.Expr.At;
import dev.quarry.promql.Expr.Binary;
import dev.quarry.promql.Expr.Call;
import dev.quarry.promql.Expr.MatrixSelector;
import dev.quarry.promql.Expr.NumberLiteral;
import dev.quarry.promql.Expr.Paren;
import dev.quarry.promql.Expr.StringLiteral;
import dev.quarry.promql.Expr.Subquery;
import dev.quarry.promql.Expr.Unary;
import dev.quarry.promql.Expr.VectorMatching;
import dev.quarry.promql.Expr.VectorSelector;
import dev.quarry.promql.Token.Kind;
import dev.quarry.storage.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent (precedence-climbing) parser of PromQL with Prometheus 2.42's grammar: {@code
 * ^} right-associative above {@code * / % atan2}, {@code + -}, comparisons, {@code and unless},
 * {@code or}; unary minus binds like {@code *}; {@code [range]}, {@code [range:step]}, {@code
 * offset} and {@code @} bind tightest. The first syntax error is thrown with Prometheus' message.
 * Single use, one thread.
 */
final class Parser {
  /** Keywords that may also be metric names, as in Prometheus' grammar. */
  private static final Set<String> METRIC_WORDS =
      Set.of("by", "without", "offset", "start", "end", "and", "or", "unless");

  private final TokenCursor in;

  Parser(String query) {
    this.in = new TokenCursor(query, Lexer.lex(query));
  }

  Expr parseQuery() {
    if (in.peek().is(Kind.EOF)) {
      throw in.fail(0, "no expression found in input");
    }
    Expr e = expr(0);
    if (!in.peek().is(Kind.EOF)) {
      throw in.unexpected(in.peek(), "", "");
    }
    return e;
  }

  private Expr expr(int minPrec) {
    Expr lhs = unary();
    while (true) {
      Token t = in.peek();
      BinaryOp op = t.is(Kind.OPERATOR) ? BinaryOp.of(t.text()) : null;
      if (op == null || op.precedence() < minPrec) {
        return lhs;
      }
      in.next();
      boolean returnBool = false;
      if (in.peek().isWord("bool")) {
        in.next();
        returnBool = true;
      }
      VectorMatching vm =
          new VectorMatching(VectorMatching.Card.ONE_TO_ONE, List.of(), false, List.of());
      if (in.peek().isWord("on") || in.peek().isWord("ignoring")) {
        boolean on = in.next().isWord("on");
        List<String> labels = groupingLabels();
        VectorMatching.Card card = VectorMatching.Card.ONE_TO_ONE;
        List<String> include = List.of();
        if (in.peek().isWord("group_left") || in.peek().isWord("group_right")) {
          card =
              in.next().isWord("group_left")
                  ? VectorMatching.Card.MANY_TO_ONE
                  : VectorMatching.Card.ONE_TO_MANY;
          if (in.peek().is(Kind.LEFT_PAREN)) {
            include = groupingLabels();
          }
        }
        vm = new VectorMatching(card, labels, on, include);
      }
      if (op.isSetOperator() && vm.card() == VectorMatching.Card.ONE_TO_ONE) {
        vm =
            new VectorMatching(
                VectorMatching.Card.MANY_TO_MANY, vm.labels(), vm.on(), vm.include());
      }
      Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
      lhs = new Binary(op, lhs, rhs, vm, returnBool, t.pos());
    }
  }

  private Expr unary() {
    Token t = in.peek();
    if (t.is(Kind.OPERATOR) && (t.text().equals("-") || t.text().equals("+"))) {
      in.next();
      Expr e = expr(BinaryOp.POW.precedence());
      boolean negate = t.text().equals("-");
      if (e instanceof NumberLiteral n) {
        return new NumberLiteral(negate ? -n.value() : n.value(), t.pos());
      }
      return new Unary(negate, e, t.pos());
    }
    return postfix(primary());
  }

  private Expr primary() {
    Token t = in.next();
    switch (t.kind()) {
      case NUMBER:
        return new NumberLiteral(in.parseNumber(t), t.pos());
      case STRING:
        return new StringLiteral(StringLiterals.unquote(t.text()), t.pos());
      case LEFT_PAREN:
        {
          Expr e = expr(0);
          Token close = in.next();
          if (!close.is(Kind.RIGHT_PAREN)) {
            throw in.unexpected(close, "paren expression", "\")\"");
          }
          return new Paren(e, t.pos());
        }
      case LEFT_BRACE:
        return selector("", t, t.pos());
      case AGGREGATOR:
        if (in.peek().is(Kind.LEFT_PAREN)
            || in.peek().isWord("by")
            || in.peek().isWord("without")) {
          return aggregate(t);
        }
        return selector(t.text(), null, t.pos());
      case IDENTIFIER:
        if (in.peek().is(Kind.LEFT_PAREN)) {
          return call(t);
        }
        return selector(t.text(), null, t.pos());
      case METRIC_IDENTIFIER:
        return selector(t.text(), null, t.pos());
      case KEYWORD:
      case OPERATOR:
        if (METRIC_WORDS.contains(t.text().toLowerCase(Locale.ROOT))) {
          return selector(t.text(), null, t.pos());
        }
        throw in.unexpected(t, "", "");
      default:
        throw in.unexpected(t, "", "");
    }
  }

  /** A selector with an optional name; {@code brace} is the already consumed "{" or null. */
  private VectorSelector selector(String name, Token brace, int pos) {
    List<Matcher> ms = new ArrayList<>();
    if (brace != null || in.peek().is(Kind.LEFT_BRACE)) {
      if (brace == null) {
        in.next();
      }
      matchers(ms);
    }
    if (!name.isEmpty()) { // last, as in Prometheus
      ms.add(Matcher.eq(Labels.METRIC_NAME, name));
    }
    return new VectorSelector(name, List.copyOf(ms), 0, null, pos);
  }

  private void matchers(List<Matcher> out) {
    while (true) {
      Token t = in.next();
      if (t.is(Kind.RIGHT_BRACE)) {
        return;
      }
      if (!t.is(Kind.IDENTIFIER)) {
        throw in.unexpected(t, "label matching", "identifier or \"}\"");
      }
      Token op = in.next();
      Matcher.Type type;
      if (op.is(Kind.EQL)) {
        type = Matcher.Type.EQ;
      } else if (op.is(Kind.OPERATOR) && op.text().equals("!=")) {
        type = Matcher.Type.NEQ;
      } else if (op.is(Kind.OPERATOR) && op.text().equals("=~")) {
        type = Matcher.Type.RE;
      } else if (op.is(Kind.OPERATOR) && op.text().equals("!~")) {
        type = Matcher.Type.NRE;
      } else {
        throw in.unexpected(op, "label matching", "label matching operator");
      }
      Token v = in.next();
      if (!v.is(Kind.STRING)) {
        throw in.unexpected(v, "label matching", "string");
      }
      try {
        out.add(new Matcher(type, t.text(), StringLiterals.unquote(v.text())));
      } catch (IllegalArgumentException e) {
        String msg = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        throw in.fail(t.pos(), msg);
      }
      Token sep = in.next();
      if (sep.is(Kind.RIGHT_BRACE)) {
        return;
      }
      if (!sep.is(Kind.COMMA)) {
        throw in.unexpected(sep, "label matching", "\",\" or \"}\"");
      }
    }
  }

  private Expr aggregate(Token opTok) {
    AggregateOp op = AggregateOp.of(opTok.text());
    List<String> grouping = List.of();
    boolean without = false;
    boolean grouped = false;
    if (in.peek().isWord("by") || in.peek().isWord("without")) {
      without = in.next().isWord("without");
      grouping = groupingLabels();
      grouped = true;
    }
    Token open = in.peek();
    if (!open.is(Kind.LEFT_PAREN)) {
      throw in.unexpected(open, "aggregation", "");
    }
    List<Expr> args = args();
    if (!grouped && (in.peek().isWord("by") || in.peek().isWord("without"))) {
      without = in.next().isWord("without");
      grouping = groupingLabels();
    }
    if (args.isEmpty()) {
      throw in.fail(opTok.pos(), "no arguments for aggregate expression provided");
    }
    int want = op.hasParam() ? 2 : 1;
    if (args.size() != want) {
      throw in.fail(
          opTok.pos(),
          "wrong number of arguments for aggregate expression provided,"
              + " expected "
              + want
              + ", got "
              + args.size());
    }
    Expr param = op.hasParam() ? args.get(0) : null;
    return new Aggregate(op, args.get(args.size() - 1), param, grouping, without, opTok.pos());
  }

  private Expr call(Token name) {
    Function f = Function.lookup(name.text());
    if (f == null) {
      throw in.fail(name.pos(), "unknown function with name " + GoQuote.quote(name.text()));
    }
    return new Call(f, args(), name.pos());
  }

  /** {@code ( [expr {, expr}] [,] )}. */
  private List<Expr> args() {
    in.next(); // (
    List<Expr> out = new ArrayList<>();
    if (in.peek().is(Kind.RIGHT_PAREN)) {
      in.next();
      return out;
    }
    while (true) {
      out.add(expr(0));
      Token t = in.next();
      if (t.is(Kind.RIGHT_PAREN)) {
        return out;
      }
      if (!t.is(Kind.COMMA)) {
        throw in.unexpected(t, "argument list", "\",\" or \")\"");
      }
      if (in.peek().is(Kind.RIGHT_PAREN)) {
        throw in.fail(t.pos(), "trailing commas not allowed in function call args");
      }
    }
  }

  /** {@code ( [label {, label}] [,] )} after by, without, on, ignoring, group_x. */
  private List<String> groupingLabels() {
    Token open = in.next();
    if (!open.is(Kind.LEFT_PAREN)) {
      throw in.unexpected(open, "grouping opts", "\"(\"");
    }
    List<String> out = new ArrayList<>();
    while (true) {
      Token t = in.next();
      if (t.is(Kind.RIGHT_PAREN)) {
        return List.copyOf(out);
      }
      if (!isLabelWord(t)) {
        throw in.unexpected(t, "grouping opts", "label");
      }
      out.add(t.text());
      Token sep = in.next();
      if (sep.is(Kind.RIGHT_PAREN)) {
        return List.copyOf(out);
      }
      if (!sep.is(Kind.COMMA)) {
        throw in.unexpected(sep, "grouping opts", "\",\" or \")\"");
      }
    }
  }

  private static boolean isLabelWord(Token t) {
    return t.is(Kind.IDENTIFIER)
        || t.is(Kind.KEYWORD)
        || t.is(Kind.AGGREGATOR)
        || t.is(Kind.OPERATOR) && Character.isLetter(t.text().charAt(0));
  }

  /** Range, subquery, offset and {@code @} suffixes. */
  private Expr postfix(Expr e) {
    while (true) {
      Token t = in.peek();
      if (t.is(Kind.LEFT_BRACKET)) {
        in.next();
        e = range(e, t);
      } else if (t.isWord("offset")) {
        in.next();
        e = offset(e);
      } else if (t.is(Kind.AT)) {
        in.next();
        e = at(e);
      } else {
        return e;
      }
    }
  }

  private Expr range(Expr e, Token open) {
    Token d = in.next();
    if (!d.is(Kind.DURATION)) {
      throw in.unexpected(d, "subquery or range", "duration");
    }
    long range = in.duration(d);
    Token t = in.next();
    if (t.is(Kind.RIGHT_BRACKET)) {
      if (!(e instanceof VectorSelector vs)) {
        throw in.fail(open.pos(), "ranges only allowed for vector selectors");
      }
      if (vs.offsetMillis() != 0) {
        throw in.fail(open.pos(), "no offset modifiers allowed before range");
      }
      if (vs.at() != null) {
        throw in.fail(open.pos(), "no @ modifiers allowed before range");
      }
      return new MatrixSelector(vs, range, vs.pos());
    }
    if (!t.is(Kind.COLON)) {
      throw in.unexpected(t, "subquery or range", "\":\" or \"]\"");
    }
    long step = 0;
    Token s = in.next();
    if (s.is(Kind.DURATION)) {
      step = in.duration(s);
      s = in.next();
    }
    if (!s.is(Kind.RIGHT_BRACKET)) {
      throw in.unexpected(s, "subquery or range", "\"]\"");
    }
    return new Subquery(e, range, step, 0, null, e.pos());
  }

  private Expr offset(Expr e) {
    boolean negative = false;
    Token d = in.next();
    if (d.is(Kind.OPERATOR) && d.text().equals("-")) {
      negative = true;
      d = in.next();
    }
    if (!d.is(Kind.DURATION)) {
      throw in.unexpected(d, "offset", "duration");
    }
    long off = Durations.parse(d.text()).toMillis();
    if (negative) {
      off = -off;
    }
    return Modifiers.offset(e, off, in::fail);
  }

  private Expr at(Expr e) {
    Token t = in.next();
    At at;
    if (t.isWord("start") || t.isWord("end")) {
      Token open = in.next();
      if (!open.is(Kind.LEFT_PAREN)) {
        throw in.unexpected(open, "@", "timestamp");
      }
      Token close = in.next();
      if (!close.is(Kind.RIGHT_PAREN)) {
        throw in.unexpected(close, "@", "timestamp");
      }
      at = new At(t.isWord("start") ? At.Kind.START : At.Kind.END, 0);
    } else {
      double sign = 1;
      if (t.is(Kind.OPERATOR) && (t.text().equals("-") || t.text().equals("+"))) {
        sign = t.text().equals("-") ? -1 : 1;
        t = in.next();
      }
      if (!t.is(Kind.NUMBER)) {
        throw in.unexpected(t, "@", "timestamp");
      }
      at = Modifiers.atTime(e, sign * in.parseNumber(t), in::fail);
    }
    return Modifiers.at(e, at, in::fail);
  }
}
