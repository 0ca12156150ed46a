package dev.quarry.relabel;

import java.util.ArrayList;
import java.util.List;

/**
 * A matcher for the one-pass regexes relabel rules are mostly made of, such as {@code ([^:]+):\d+},
 * {@code foo_(.*)} or {@code (\w+)-(\d+)}: a sequence of ASCII characters, classes, {@code .},
 * {@code \d \w \s} (and their negations), each once or with {@code ? * +}, with plain capturing
 * groups around runs of them. Accepted only when every repeated piece is followed by something it
 * cannot match, so a greedy left-to-right scan is the one way the expression can match, the answer
 * RE2 gives, in one pass over the input and without re2j's NFA.
 *
 * <p>Read with {@code ^(?s:…)$} semantics, as {@link Re2Pattern}: {@code .} matches any code point,
 * newlines included. Immutable and thread-safe.
 */
final class OnePass {
  /** An ASCII set, plus whether it holds every non-ASCII code point too. */
  private record CharSet(boolean[] ascii, boolean nonAscii) {
    boolean contains(int cp) {
      return cp < 128 ? ascii[cp] : nonAscii;
    }

    boolean intersects(CharSet o) {
      if (nonAscii && o.nonAscii) {
        return true;
      }
      for (int c = 0; c < 128; c++) {
        if (ascii[c] && o.ascii[c]) {
          return true;
        }
      }
      return false;
    }

    CharSet union(CharSet o) {
      boolean[] a = ascii.clone();
      for (int c = 0; c < 128; c++) {
        a[c] |= o.ascii[c];
      }
      return new CharSet(a, nonAscii || o.nonAscii);
    }

    CharSet negate() {
      boolean[] a = new boolean[128];
      for (int c = 0; c < 128; c++) {
        a[c] = !ascii[c];
      }
      return new CharSet(a, !nonAscii);
    }

    static CharSet of(String chars) {
      boolean[] a = new boolean[128];
      for (int i = 0; i < chars.length(); i++) {
        a[chars.charAt(i)] = true;
      }
      return new CharSet(a, false);
    }

    static CharSet range(char lo, char hi) {
      boolean[] a = new boolean[128];
      for (int c = lo; c <= hi; c++) {
        a[c] = true;
      }
      return new CharSet(a, false);
    }
  }

  private static final CharSet NONE = CharSet.of("");
  private static final CharSet ANY = NONE.negate();
  private static final CharSet DIGIT = CharSet.range('0', '9');
  private static final CharSet WORD =
      DIGIT.union(CharSet.range('a', 'z')).union(CharSet.range('A', 'Z')).union(CharSet.of("_"));
  private static final CharSet SPACE = CharSet.of("\t\n\f\r ");

  private final CharSet[] sets;
  private final char[] quants; // 0 for exactly once, else '?', '*' or '+'
  private final int[] groupItems; // start and end item index of group g at 2(g-1), 2(g-1)+1

  private OnePass(CharSet[] sets, char[] quants, int[] groupItems) {
    this.sets = sets;
    this.quants = quants;
    this.groupItems = groupItems;
  }

  /** Number of capture groups. */
  int groupCount() {
    return groupItems.length / 2;
  }

  /** The matcher for {@code regex}, or null when it is not of the one-pass shape. */
  static OnePass compile(String regex) {
    List<CharSet> sets = new ArrayList<>();
    StringBuilder quants = new StringBuilder();
    List<Integer> groups = new ArrayList<>();
    boolean inGroup = false;
    int n = regex.length();
    int i = 0;
    while (i < n) {
      char c = regex.charAt(i);
      CharSet set;
      switch (c) {
        case '(' -> {
          if (inGroup || (i + 1 < n && regex.charAt(i + 1) == '?')) {
            return null;
          }
          inGroup = true;
          groups.add(sets.size());
          i++;
          continue;
        }
        case ')' -> {
          if (!inGroup || (i + 1 < n && "*+?{".indexOf(regex.charAt(i + 1)) >= 0)) {
            return null;
          }
          inGroup = false;
          groups.add(sets.size());
          i++;
          continue;
        }
        case '.' -> {
          set = ANY;
          i++;
        }
        case '\\' -> {
          if (i + 1 >= n) {
            return null;
          }
          set = escape(regex.charAt(i + 1));
          i += 2;
        }
        case '[' -> {
          int end = regex.indexOf(']', i + 1);
          if (end < 0) {
            return null;
          }
          set = bracket(regex.substring(i + 1, end));
          i = end + 1;
        }
        default -> {
          if (c >= 128 || "|^${}*+?]".indexOf(c) >= 0) {
            return null;
          }
          set = CharSet.of(String.valueOf(c));
          i++;
        }
      }
      if (set == null) {
        return null;
      }
      char q = 0;
      if (i < n && "*+?".indexOf(regex.charAt(i)) >= 0) {
        q = regex.charAt(i++);
        if (i < n && "*+?{".indexOf(regex.charAt(i)) >= 0) {
          return null; // lazy, or an error re2j reports
        }
      }
      sets.add(set);
      quants.append(q);
    }
    if (inGroup) {
      return null;
    }
    CharSet[] s = sets.toArray(new CharSet[0]);
    char[] q = quants.toString().toCharArray();
    if (!deterministic(s, q)) {
      return null;
    }
    return new OnePass(s, q, groups.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Whether every repeated piece is followed only by characters it cannot take. */
  private static boolean deterministic(CharSet[] sets, char[] quants) {
    for (int i = 0; i < sets.length; i++) {
      if (quants[i] == 0) {
        continue;
      }
      for (int j = i + 1; j < sets.length; j++) {
        if (sets[i].intersects(sets[j])) {
          return false;
        }
        if (quants[j] == 0 || quants[j] == '+') {
          break; // not nullable: nothing after it can follow piece i directly
        }
      }
    }
    return true;
  }

  private static CharSet escape(char e) {
    return switch (e) {
      case 'd' -> DIGIT;
      case 'D' -> DIGIT.negate();
      case 'w' -> WORD;
      case 'W' -> WORD.negate();
      case 's' -> SPACE;
      case 'S' -> SPACE.negate();
      default -> e < 128 && !Character.isLetterOrDigit(e) && e > ' ' ? CharSet.of("" + e) : null;
    };
  }

  /** The inside of {@code [...]}: ASCII members and ranges, a leading '^', Perl escapes. */
  private static CharSet bracket(String body) {
    boolean negate = body.startsWith("^");
    String b = negate ? body.substring(1) : body;
    if (b.isEmpty() || b.contains("[")) {
      return null; // "[]…]" and "[[:…:]]" are read differently: leave them to re2j
    }
    CharSet set = NONE;
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      CharSet item;
      if (c >= 128) {
        return null;
      }
      if (c == '\\') {
        if (i + 1 >= b.length()) {
          return null;
        }
        item = escape(b.charAt(++i));
      } else if (i + 2 < b.length() && b.charAt(i + 1) == '-') {
        char hi = b.charAt(i + 2);
        if (hi == '\\' || hi >= 128 || hi < c) {
          return null;
        }
        item = CharSet.range(c, hi);
        i += 2;
      } else {
        item = CharSet.of(String.valueOf(c));
      }
      if (item == null) {
        return null;
      }
      set = set.union(item);
    }
    return negate ? set.negate() : set;
  }

  /**
   * Matches the whole of {@code s}; the offsets of group 0 and each group as {@link
   * Re2Pattern#match} gives them when {@code groups}, an empty array when not, null on no match.
   */
  int[] match(String s, boolean groups) {
    int len = s.length();
    int[] at = groups ? new int[sets.length + 1] : null;
    int pos = 0;
    for (int i = 0; i < sets.length; i++) {
      if (at != null) {
        at[i] = pos;
      }
      CharSet set = sets[i];
      char q = quants[i];
      if (q == 0 || q == '+') {
        if (pos >= len || !set.contains(s.codePointAt(pos))) {
          return null;
        }
        pos += Character.charCount(s.codePointAt(pos));
      }
      if (q == '?') {
        if (pos < len && set.contains(s.codePointAt(pos))) {
          pos += Character.charCount(s.codePointAt(pos));
        }
      } else if (q != 0) {
        while (pos < len && set.contains(s.codePointAt(pos))) {
          pos += Character.charCount(s.codePointAt(pos));
        }
      }
    }
    if (pos != len) {
      return null;
    }
    if (at == null) {
      return new int[0];
    }
    at[sets.length] = pos;
    int[] idx = new int[2 + groupItems.length];
    idx[1] = len;
    for (int k = 0; k < groupItems.length; k++) {
      idx[2 + k] = at[groupItems[k]];
    }
    return idx;
  }
}
