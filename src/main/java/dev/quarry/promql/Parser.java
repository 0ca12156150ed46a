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

  private final String query;
  private final List<Token> tokens;
  private int i;

  Parser(String query) {
    this.query = query;
    this.tokens = Lexer.lex(query);
  }

  Expr parseQuery() {
    if (peek().is(Kind.EOF)) {
      throw fail(0, "no expression found in input");
    }
    Expr e = expr(0);
    if (!peek().is(Kind.EOF)) {
      throw unexpected(peek(), "", "");
    }
    return e;
  }

  private Expr expr(int minPrec) {
    Expr lhs = unary();
    while (true) {
      Token t = peek();
      BinaryOp op = t.is(Kind.OPERATOR) ? BinaryOp.of(t.text()) : null;
      if (op == null || op.precedence() < minPrec) {
        return lhs;
      }
      next();
      boolean returnBool = false;
      if (peek().isWord("bool")) {
        next();
        returnBool = true;
      }
      VectorMatching vm =
          new VectorMatching(VectorMatching.Card.ONE_TO_ONE, List.of(), false, List.of());
      if (peek().isWord("on") || peek().isWord("ignoring")) {
        boolean on = next().isWord("on");
        List<String> labels = groupingLabels();
        VectorMatching.Card card = VectorMatching.Card.ONE_TO_ONE;
        List<String> include = List.of();
        if (peek().isWord("group_left") || peek().isWord("group_right")) {
          card =
              next().isWord("group_left")
                  ? VectorMatching.Card.MANY_TO_ONE
                  : VectorMatching.Card.ONE_TO_MANY;
          if (peek().is(Kind.LEFT_PAREN)) {
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
    Token t = peek();
    if (t.is(Kind.OPERATOR) && (t.text().equals("-") || t.text().equals("+"))) {
      next();
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
    Token t = next();
    switch (t.kind()) {
      case NUMBER:
        return new NumberLiteral(parseNumber(t), t.pos());
      case STRING:
        return new StringLiteral(StringLiterals.unquote(t.text()), t.pos());
      case LEFT_PAREN:
        {
          Expr e = expr(0);
          Token close = next();
          if (!close.is(Kind.RIGHT_PAREN)) {
            throw unexpected(close, "paren expression", "\")\"");
          }
          return new Paren(e, t.pos());
        }
      case LEFT_BRACE:
        return selector("", t, t.pos());
      case AGGREGATOR:
        if (peek().is(Kind.LEFT_PAREN) || peek().isWord("by") || peek().isWord("without")) {
          return aggregate(t);
        }
        return selector(t.text(), null, t.pos());
      case IDENTIFIER:
        if (peek().is(Kind.LEFT_PAREN)) {
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
        throw unexpected(t, "", "");
      default:
        throw unexpected(t, "", "");
    }
  }

  /** A selector with an optional name; {@code brace} is the already consumed "{" or null. */
  private VectorSelector selector(String name, Token brace, int pos) {
    List<Matcher> ms = new ArrayList<>();
    if (brace != null || peek().is(Kind.LEFT_BRACE)) {
      if (brace == null) {
        next();
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
      Token t = next();
      if (t.is(Kind.RIGHT_BRACE)) {
        return;
      }
      if (!t.is(Kind.IDENTIFIER)) {
        throw unexpected(t, "label matching", "identifier or \"}\"");
      }
      Token op = next();
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
        throw unexpected(op, "label matching", "label matching operator");
      }
      Token v = next();
      if (!v.is(Kind.STRING)) {
        throw unexpected(v, "label matching", "string");
      }
      try {
        out.add(new Matcher(type, t.text(), StringLiterals.unquote(v.text())));
      } catch (IllegalArgumentException e) {
        String msg = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        throw fail(t.pos(), msg);
      }
      Token sep = next();
      if (sep.is(Kind.RIGHT_BRACE)) {
        return;
      }
      if (!sep.is(Kind.COMMA)) {
        throw unexpected(sep, "label matching", "\",\" or \"}\"");
      }
    }
  }

  private Expr aggregate(Token opTok) {
    AggregateOp op = AggregateOp.of(opTok.text());
    List<String> grouping = List.of();
    boolean without = false;
    boolean grouped = false;
    if (peek().isWord("by") || peek().isWord("without")) {
      without = next().isWord("without");
      grouping = groupingLabels();
      grouped = true;
    }
    Token open = peek();
    if (!open.is(Kind.LEFT_PAREN)) {
      throw unexpected(open, "aggregation", "");
    }
    List<Expr> args = args();
    if (!grouped && (peek().isWord("by") || peek().isWord("without"))) {
      without = next().isWord("without");
      grouping = groupingLabels();
    }
    if (args.isEmpty()) {
      throw fail(opTok.pos(), "no arguments for aggregate expression provided");
    }
    int want = op.hasParam() ? 2 : 1;
    if (args.size() != want) {
      throw fail(
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
      throw fail(name.pos(), "unknown function with name " + GoQuote.quote(name.text()));
    }
    return new Call(f, args(), name.pos());
  }

  /** {@code ( [expr {, expr}] [,] )}. */
  private List<Expr> args() {
    next(); // (
    List<Expr> out = new ArrayList<>();
    if (peek().is(Kind.RIGHT_PAREN)) {
      next();
      return out;
    }
    while (true) {
      out.add(expr(0));
      Token t = next();
      if (t.is(Kind.RIGHT_PAREN)) {
        return out;
      }
      if (!t.is(Kind.COMMA)) {
        throw unexpected(t, "argument list", "\",\" or \")\"");
      }
      if (peek().is(Kind.RIGHT_PAREN)) {
        throw fail(t.pos(), "trailing commas not allowed in function call args");
      }
    }
  }

  /** {@code ( [label {, label}] [,] )} after by, without, on, ignoring, group_x. */
  private List<String> groupingLabels() {
    Token open = next();
    if (!open.is(Kind.LEFT_PAREN)) {
      throw unexpected(open, "grouping opts", "\"(\"");
    }
    List<String> out = new ArrayList<>();
    while (true) {
      Token t = next();
      if (t.is(Kind.RIGHT_PAREN)) {
        return List.copyOf(out);
      }
      if (!isLabelWord(t)) {
        throw unexpected(t, "grouping opts", "label");
      }
      out.add(t.text());
      Token sep = next();
      if (sep.is(Kind.RIGHT_PAREN)) {
        return List.copyOf(out);
      }
      if (!sep.is(Kind.COMMA)) {
        throw unexpected(sep, "grouping opts", "\",\" or \")\"");
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
      Token t = peek();
      if (t.is(Kind.LEFT_BRACKET)) {
        next();
        e = range(e, t);
      } else if (t.isWord("offset")) {
        next();
        e = offset(e);
      } else if (t.is(Kind.AT)) {
        next();
        e = at(e);
      } else {
        return e;
      }
    }
  }

  private Expr range(Expr e, Token open) {
    Token d = next();
    if (!d.is(Kind.DURATION)) {
      throw unexpected(d, "subquery or range", "duration");
    }
    long range = duration(d);
    Token t = next();
    if (t.is(Kind.RIGHT_BRACKET)) {
      if (!(e instanceof VectorSelector vs)) {
        throw fail(open.pos(), "ranges only allowed for vector selectors");
      }
      if (vs.offsetMillis() != 0) {
        throw fail(open.pos(), "no offset modifiers allowed before range");
      }
      if (vs.at() != null) {
        throw fail(open.pos(), "no @ modifiers allowed before range");
      }
      return new MatrixSelector(vs, range, vs.pos());
    }
    if (!t.is(Kind.COLON)) {
      throw unexpected(t, "subquery or range", "\":\" or \"]\"");
    }
    long step = 0;
    Token s = next();
    if (s.is(Kind.DURATION)) {
      step = duration(s);
      s = next();
    }
    if (!s.is(Kind.RIGHT_BRACKET)) {
      throw unexpected(s, "subquery or range", "\"]\"");
    }
    return new Subquery(e, range, step, 0, null, e.pos());
  }

  private Expr offset(Expr e) {
    boolean negative = false;
    Token d = next();
    if (d.is(Kind.OPERATOR) && d.text().equals("-")) {
      negative = true;
      d = next();
    }
    if (!d.is(Kind.DURATION)) {
      throw unexpected(d, "offset", "duration");
    }
    long off = Durations.parse(d.text()).toMillis();
    if (negative) {
      off = -off;
    }
    return Modifiers.offset(e, off, this::fail);
  }

  private Expr at(Expr e) {
    Token t = next();
    At at;
    if (t.isWord("start") || t.isWord("end")) {
      Token open = next();
      if (!open.is(Kind.LEFT_PAREN)) {
        throw unexpected(open, "@", "timestamp");
      }
      Token close = next();
      if (!close.is(Kind.RIGHT_PAREN)) {
        throw unexpected(close, "@", "timestamp");
      }
      at = new At(t.isWord("start") ? At.Kind.START : At.Kind.END, 0);
    } else {
      double sign = 1;
      if (t.is(Kind.OPERATOR) && (t.text().equals("-") || t.text().equals("+"))) {
        sign = t.text().equals("-") ? -1 : 1;
        t = next();
      }
      if (!t.is(Kind.NUMBER)) {
        throw unexpected(t, "@", "timestamp");
      }
      at = Modifiers.atTime(e, sign * parseNumber(t), this::fail);
    }
    return Modifiers.at(e, at, this::fail);
  }

  private long duration(Token d) {
    long ms;
    try {
      ms = Durations.parse(d.text()).toMillis();
    } catch (IllegalArgumentException e) {
      throw fail(d.pos(), e.getMessage());
    }
    if (ms <= 0) {
      throw fail(d.pos(), "duration must be greater than 0");
    }
    return ms;
  }

  private double parseNumber(Token t) {
    try {
      return StringLiterals.number(t.text());
    } catch (NumberFormatException e) {
      throw fail(
          t.pos(),
          "error parsing number: strconv.ParseFloat: parsing "
              + GoQuote.quote(t.text())
              + ": invalid syntax");
    }
  }

  private Token peek() {
    return tokens.get(i);
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.is(Kind.ERROR)) {
      throw fail(t.pos(), t.text());
    }
    if (!t.is(Kind.EOF)) {
      i++;
    }
    return t;
  }

  private ParseException unexpected(Token t, String context, String expected) {
    if (t.is(Kind.ERROR)) {
      return fail(t.pos(), t.text());
    }
    StringBuilder sb = new StringBuilder("unexpected ").append(t.desc());
    if (!context.isEmpty()) {
      sb.append(" in ").append(context);
    }
    if (!expected.isEmpty()) {
      sb.append(", expected ").append(expected);
    }
    return fail(t.pos(), sb.toString());
  }

  private ParseException fail(int pos, String msg) {
    return new ParseException(query, pos, msg);
  }
}
