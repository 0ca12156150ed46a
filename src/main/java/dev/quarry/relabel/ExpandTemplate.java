package dev.quarry.relabel;

import java.util.ArrayList;
import java.util.List;

/**
 * A replacement template such as {@code ${1}-$name}, parsed once against one {@link Re2Pattern} and
 * expanded the way Go's {@code Regexp.Expand} does.
 *
 * <p>The rules, which users' configs depend on: {@code $$} is a literal {@code $}; {@code $name}
 * takes the longest run of letters, digits and underscores as the name, so {@code $1x} refers to a
 * group named {@code 1x} (usually absent, hence empty) and one writes {@code ${1}x} instead; a name
 * made only of ASCII digits (no leading zero) is a group number; an unknown group, or one that took
 * no part in the match, expands to nothing; a {@code $} that starts no valid reference is kept as a
 * literal {@code $}.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ExpandTemplate {
  /** A piece is either literal text (groups == null) or a reference to candidate groups. */
  private record Piece(String text, int[] groups) {}

  private final String source;
  private final Piece[] pieces;
  private final boolean hasReferences;

  private ExpandTemplate(String source, Piece[] pieces, boolean hasReferences) {
    this.source = source;
    this.pieces = pieces;
    this.hasReferences = hasReferences;
  }

  /** Parses {@code template}, resolving group names and numbers against {@code pattern}. */
  public static ExpandTemplate parse(String template, Re2Pattern pattern) {
    List<Piece> pieces = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    boolean refs = false;
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        lit.append(c);
        i++;
        continue;
      }
      i++;
      if (i < n && template.charAt(i) == '$') {
        lit.append('$');
        i++;
        continue;
      }
      boolean brace = i < n && template.charAt(i) == '{';
      int nameStart = brace ? i + 1 : i;
      int j = nameStart;
      while (j < n) {
        int cp = template.codePointAt(j);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        j += Character.charCount(cp);
      }
      boolean ok = j > nameStart && (!brace || (j < n && template.charAt(j) == '}'));
      if (!ok) {
        lit.append('$'); // malformed: the '$' is kept and the rest read as text
        continue;
      }
      String name = template.substring(nameStart, j);
      i = brace ? j + 1 : j;
      if (!lit.isEmpty()) {
        pieces.add(new Piece(lit.toString(), null));
        lit.setLength(0);
      }
      pieces.add(new Piece(null, resolve(name, pattern)));
      refs = true;
    }
    if (!lit.isEmpty()) {
      pieces.add(new Piece(lit.toString(), null));
    }
    return new ExpandTemplate(template, pieces.toArray(new Piece[0]), refs);
  }

  /** The groups a reference can take its text from, in the order Go tries them. */
  private static int[] resolve(String name, Re2Pattern pattern) {
    int num = groupNumber(name);
    if (num >= 0) {
      return num <= pattern.groupCount() ? new int[] {num} : new int[0];
    }
    List<Integer> found = new ArrayList<>();
    for (int g = 1; g <= pattern.groupCount(); g++) {
      if (name.equals(pattern.groupName(g))) {
        found.add(g);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The number a name stands for, or -1 when it is a name (non-digits, leading zero, huge). */
  private static int groupNumber(String name) {
    if (name.length() > 1 && name.charAt(0) == '0') {
      return -1;
    }
    int num = 0;
    for (int k = 0; k < name.length(); k++) {
      char d = name.charAt(k);
      if (d < '0' || d > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (d - '0');
    }
    return num;
  }

  /** Whether the template refers to any group; when not, it expands to itself (bar "$$"). */
  boolean hasReferences() {
    return hasReferences;
  }

  /** Appends the expansion for the match {@code groups} (as from {@link Re2Pattern#match}). */
  void expand(StringBuilder out, String input, int[] groups) {
    for (Piece p : pieces) {
      if (p.groups == null) {
        out.append(p.text);
        continue;
      }
      for (int g : p.groups) {
        if (2 * g + 1 < groups.length && groups[2 * g] >= 0) {
          out.append(input, groups[2 * g], groups[2 * g + 1]);
          break;
        }
      }
    }
  }

  /** The expansion as a new string. */
  public String expand(String input, int[] groups) {
    StringBuilder sb = new StringBuilder(source.length() + input.length());
    expand(sb, input, groups);
    return sb.toString();
  }

  @Override
  public String toString() {
    return source;
  }
}
