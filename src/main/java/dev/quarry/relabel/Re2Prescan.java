package dev.quarry.relabel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One linear pass over an RE2 expression for the parts of Go's {@code regexp/syntax} that re2j
 * leaves out, run before re2j sees the expression:
 *
 * <ul>
 *   <li>Go refuses nested counted repetitions worth more than 1,000 copies of the innermost thing
 *       ({@code (a{100}){100}}: "invalid repeat count"); re2j expands them, so {@code
 *       ((a{1000}){1000}){1000}} would build a billion instructions;
 *   <li>Go refuses expressions whose parse tree is more than 1,000 deep ("expression nests too
 *       deeply"); re2j recurses over the tree and would overflow the thread's stack. The height is
 *       estimated from the groups, alternations and repetitions; it can differ from Go's by one
 *       where Go merges literals or flattens a non-capturing group;
 *   <li>Go refuses expressions whose program would exceed 128 MiB (3.3 million instructions, sized
 *       from the parse tree as Go does); re2j would build it first;
 *   <li>Go allows two groups with one name ({@code (?P<x>a)(?P<x>b)}); re2j refuses them, so the
 *       second and later uses of a name are dropped from the text re2j compiles and the names are
 *       kept here.
 * </ul>
 *
 * <p>Syntax errors are not this pass's business: when it meets something it cannot read it stops
 * with {@link Result#complete()} false and leaves the verdict to re2j. Single-use and not
 * thread-safe; {@link #scan} is the entry point.
 */
final class Re2Prescan {
  static final String INVALID_REPEAT_SIZE = "invalid repeat count";
  static final String NESTING_DEPTH = "expression nests too deeply";

  /** Go 1.19's word for "expression too large", which Prometheus 2.42 prints. */
  static final String TOO_LARGE = "regexp/syntax: internal error";

  static final long MAX_SIZE = (128 << 20) / 40;
  private static final int MAX_REPEAT = 1000;
  private static final int MAX_HEIGHT = 1000;

  /**
   * What the pass found.
   *
   * @param complete whether the whole expression was read (false: re2j will say what is wrong)
   * @param names capture group names in order, index 0 for the whole match, "" when unnamed
   * @param rewritten the expression with repeated group names dropped; the input when none repeat
   * @param emptySteps bound on the matcher's longest run of non-consuming steps ({@link
   *     EmptySteps}); 0 when not complete
   */
  record Result(boolean complete, List<String> names, String rewritten, long emptySteps) {
    boolean renamed(String original) {
      return !rewritten.equals(original);
    }
  }

  private final String re;
  private final int len;
  private final ArrayDeque<PrescanFrame> stack = new ArrayDeque<>();
  private final List<String> names = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final StringBuilder rewritten;
  private int copiedTo;
  private int pos;

  private Re2Prescan(String re) {
    this.re = re;
    this.len = re.length();
    this.rewritten = new StringBuilder(len);
    names.add("");
  }

  /**
   * Reads {@code re} (the anchored form the caller compiles).
   *
   * @throws Re2SyntaxException when Go's repeat or nesting limits refuse the expression
   */
  static Result scan(String re) {
    return new Re2Prescan(re).run();
  }

  private Result run() {
    stack.push(new PrescanFrame(false));
    while (pos < len) {
      char c = re.charAt(pos);
      boolean ok =
          switch (c) {
            case '\\' -> escape();
            case '[' -> skipClass();
            case '(' -> openGroup();
            case ')' -> closeGroup();
            case '|' -> {
              stack.peek().bar();
              pos++;
              yield true;
            }
            case '*', '+', '?' -> {
              pos++;
              skipLazy();
              repeat(c == '+' ? 1 : 0, c == '?' ? 1 : -1, null);
              yield true;
            }
            case '{' -> brace();
            default -> {
              pos += Character.charCount(re.codePointAt(pos));
              boolean assertion = c == '^' || c == '$';
              stack.peek().item(0, 1, assertion ? EmptySteps.ASSERTION : EmptySteps.CHAR);
              yield true;
            }
          };
      if (!ok) {
        return new Result(false, List.of(), re, 0);
      }
    }
    if (stack.size() != 1) {
      return new Result(false, List.of(), re, 0);
    }
    PrescanFrame root = stack.peek();
    if (root.contentHeight() > MAX_HEIGHT) {
      throw new Re2SyntaxException(NESTING_DEPTH, re);
    }
    if (root.size() > MAX_SIZE) {
      throw new Re2SyntaxException(TOO_LARGE, re);
    }
    rewritten.append(re, copiedTo, len);
    return new Result(true, List.copyOf(names), rewritten.toString(), root.steps().longest());
  }

  private void skipLazy() {
    if (pos < len && re.charAt(pos) == '?') {
      pos++;
    }
  }

  /** An escape outside a class: one item; {@code \Q…\E} is a run of literals. */
  private boolean escape() {
    if (pos + 1 >= len) {
      return false;
    }
    char n = re.charAt(pos + 1);
    if (n == 'Q') {
      int end = re.indexOf("\\E", pos + 2);
      boolean any = (end < 0 ? len : end) > pos + 2;
      pos = end < 0 ? len : end + 2;
      if (any) {
        stack.peek().item(0, 1, EmptySteps.CHAR);
      }
      return true;
    }
    int next = skipEscape(pos);
    if (next < 0) {
      return false;
    }
    boolean assertion = "AbBz".indexOf(n) >= 0;
    pos = next;
    stack.peek().item(0, 1, assertion ? EmptySteps.ASSERTION : EmptySteps.CHAR);
    return true;
  }

  /** The index after the escape at {@code i}, braced forms included; -1 when unterminated. */
  private int skipEscape(int i) {
    if (i + 1 >= len) {
      return -1;
    }
    char n = re.charAt(i + 1);
    if ((n == 'p' || n == 'P' || n == 'x') && i + 2 < len && re.charAt(i + 2) == '{') {
      int end = re.indexOf('}', i + 2);
      return end < 0 ? -1 : end + 1;
    }
    return i + 1 + Character.charCount(re.codePointAt(i + 1));
  }

  /** A bracketed class, read as Go reads it: a leading ']' and POSIX {@code [:name:]} inside. */
  private boolean skipClass() {
    int i = pos + 1;
    if (i < len && re.charAt(i) == '^') {
      i++;
    }
    if (i < len && re.charAt(i) == ']') {
      i++;
    }
    while (i < len && re.charAt(i) != ']') {
      if (re.startsWith("[:", i)) {
        int close = re.indexOf(":]", i + 2);
        if (close >= 0) {
          i = close + 2;
          continue;
        }
      }
      if (re.charAt(i) == '\\') {
        i = skipEscape(i);
        if (i < 0) {
          return false;
        }
        continue;
      }
      i++;
    }
    if (i >= len) {
      return false;
    }
    pos = i + 1;
    stack.peek().item(0, 1, EmptySteps.CHAR);
    return true;
  }

  private boolean openGroup() {
    if (!re.startsWith("(?", pos)) {
      names.add("");
      pos++;
      stack.push(new PrescanFrame(true));
      return true;
    }
    int nameStart = -1;
    if (re.startsWith("(?P<", pos)) {
      nameStart = pos + 4;
    } else if (re.startsWith("(?<", pos)
        && !re.startsWith("(?<=", pos)
        && !re.startsWith("(?<!", pos)) {
      nameStart = pos + 3;
    }
    if (nameStart >= 0) {
      int end = re.indexOf('>', nameStart);
      if (end < 0) {
        return false;
      }
      String name = re.substring(nameStart, end);
      if (!seen.add(name)) {
        // re2j refuses a name used twice; Go keeps both. Compile this one as a plain group.
        rewritten.append(re, copiedTo, pos).append('(');
        copiedTo = end + 1;
      }
      names.add(name);
      pos = end + 1;
      stack.push(new PrescanFrame(true));
      return true;
    }
    int i = pos + 2;
    while (i < len && "imsU-".indexOf(re.charAt(i)) >= 0) {
      i++;
    }
    if (i >= len) {
      return false;
    }
    if (re.charAt(i) == ')') {
      pos = i + 1; // flags for the rest of the group: no item
      return true;
    }
    if (re.charAt(i) == ':') {
      pos = i + 1;
      stack.push(new PrescanFrame(false));
      return true;
    }
    return false;
  }

  private boolean closeGroup() {
    if (stack.size() <= 1) {
      return false;
    }
    PrescanFrame f = stack.pop();
    int height = f.contentHeight() + (f.capture ? 1 : 0);
    if (height > MAX_HEIGHT) {
      throw new Re2SyntaxException(NESTING_DEPTH, re);
    }
    EmptySteps steps = f.capture ? f.steps().captured() : f.steps();
    long size = f.capture ? f.size() + 2 : f.size();
    stack.peek().item(f.copies(), height, steps, size);
    pos++;
    return true;
  }

  /** {@code {n}}, {@code {n,}} or {@code {n,m}}; anything else makes the brace a literal. */
  private boolean brace() {
    int start = pos;
    int i = pos + 1;
    int minEnd = digits(i);
    if (minEnd < 0) {
      return literalBrace();
    }
    long min = count(i, minEnd);
    long max = min;
    i = minEnd;
    if (i < len && re.charAt(i) == ',') {
      i++;
      if (i < len && re.charAt(i) == '}') {
        max = -1;
      } else {
        int maxEnd = digits(i);
        if (maxEnd < 0) {
          return literalBrace();
        }
        max = count(i, maxEnd);
        i = maxEnd;
      }
    }
    if (i >= len || re.charAt(i) != '}') {
      return literalBrace();
    }
    pos = i + 1;
    skipLazy();
    boolean valid = min <= MAX_REPEAT && max <= MAX_REPEAT && (max < 0 || min <= max);
    // An out-of-range count is re2j's to refuse, with the same words.
    repeat(min, max, valid ? re.substring(start, pos) : null);
    return true;
  }

  private boolean literalBrace() {
    pos++;
    stack.peek().item(0, 1, EmptySteps.CHAR);
    return true;
  }

  /** The end of a run of digits at i without a leading zero, or -1. */
  private int digits(int i) {
    int j = i;
    while (j < len && re.charAt(j) >= '0' && re.charAt(j) <= '9') {
      j++;
    }
    if (j == i || (j - i >= 2 && re.charAt(i) == '0')) {
      return -1;
    }
    return j;
  }

  private long count(int start, int end) {
    // Past 10^8 Go calls the count invalid; anything above the limit does the same here.
    return end - start > 8 ? MAX_REPEAT + 1 : Long.parseLong(re, start, end, 10);
  }

  /**
   * Applies a repetition to the last item: {@code *} is {0,-1}, {@code +} {1,-1}, {@code ?} {0,1}.
   * {@code op} is the counted operator's text, null for {@code * + ?} and for counts re2j itself
   * refuses.
   */
  private void repeat(long min, long max, String op) {
    PrescanFrame f = stack.peek();
    if (f.lastCopies < 0) {
      return; // nothing to repeat: re2j says so
    }
    if (op != null) {
      long m = max < 0 ? min : max;
      long copies = m == 0 ? 0 : m * Math.max(1, f.lastCopies);
      if ((min >= 2 || max >= 2) && copies > MAX_REPEAT) {
        throw new Re2SyntaxException(INVALID_REPEAT_SIZE, op);
      }
      f.lastCopies = copies;
    }
    long sub = f.lastSize;
    if (op == null && max == 1) {
      f.lastSteps = f.lastSteps.optional();
      f.lastSize = 1 + sub;
    } else if (op == null) {
      f.lastSteps = min == 0 ? f.lastSteps.star() : f.lastSteps.plus();
      f.lastSize = (min == 0 ? 2 : 1) + sub;
    } else if (min <= MAX_REPEAT && max <= MAX_REPEAT) {
      f.lastSteps = f.lastSteps.repeat(min, max);
      long size = max < 0 ? (min == 0 ? 2 + sub : 1 + min * sub) : max * sub + (max - min);
      f.lastSize = Math.min(MAX_SIZE + 1, Math.max(1, size));
    }
    f.lastHeight++;
    if (f.lastHeight > MAX_HEIGHT) {
      throw new Re2SyntaxException(NESTING_DEPTH, re);
    }
  }
}
