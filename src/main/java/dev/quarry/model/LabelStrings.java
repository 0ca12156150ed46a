package dev.quarry.model;

import dev.quarry.util.Fnv64a;

/**
 * What is computed from a label set's names and values in order ({@code name0, value0, ...}): its
 * 64-bit hash, its order among label sets and its text form. Stateless.
 */
final class LabelStrings {
  private LabelStrings() {}

  /** FNV-1a over the UTF-16 code units of every name and value, each followed by a separator. */
  static long hash(Labels labels) {
    long h = Fnv64a.OFFSET;
    for (int i = 0, n = labels.size(); i < n; i++) {
      h = add(add(h, labels.name(i)), labels.value(i));
    }
    return h;
  }

  private static long add(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = Fnv64a.add(Fnv64a.add(h, c), c >>> 8);
    }
    // separator: no string holds U+00FF as a low byte followed by this marker pattern
    return Fnv64a.add(h, 0xff);
  }

  /** Name by name, then value by value; a set that is a prefix of the other sorts first. */
  static int compare(Labels a, Labels b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = a.name(i).compareTo(b.name(i));
      if (c == 0) {
        c = a.value(i).compareTo(b.value(i));
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Prometheus' rendering: {@code {a="1", b="2"}} with Go-style quoting of values. */
  static String render(Labels labels) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0, n = labels.size(); i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(labels.name(i)).append("=\"");
      appendEscaped(sb, labels.value(i));
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  private static void appendEscaped(StringBuilder sb, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }
}
