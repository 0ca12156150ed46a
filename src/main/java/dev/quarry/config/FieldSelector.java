package dev.quarry.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A Kubernetes field selector ({@code spec.nodeName=n1,status.phase!=Failed}) split into its terms,
 * with the syntax and error wording of client-go's {@code fields.ParseSelector}. Immutable.
 *
 * @param terms the requirements, all of which must hold
 */
public record FieldSelector(List<Term> terms) {

  /** One requirement: {@code field=value} ({@code negated} false) or {@code field!=value}. */
  public record Term(String field, String value, boolean negated) {}

  /**
   * Parses {@code s}; an empty or null string selects everything.
   *
   * @throws IllegalArgumentException with client-go's message for a term it cannot understand
   */
  public static FieldSelector parse(String s) {
    List<Term> terms = new ArrayList<>();
    if (s == null || s.isEmpty()) {
      return new FieldSelector(List.of());
    }
    for (String part : s.split(",", -1)) {
      String p = part.strip();
      int ne = p.indexOf("!=");
      int eq2 = p.indexOf("==");
      int eq = p.indexOf('=');
      Term t;
      if (ne >= 0 && (eq < 0 || ne < eq)) {
        t = new Term(p.substring(0, ne), p.substring(ne + 2), true);
      } else if (eq2 >= 0 && eq2 == eq) {
        t = new Term(p.substring(0, eq2), p.substring(eq2 + 2), false);
      } else if (eq >= 0) {
        t = new Term(p.substring(0, eq), p.substring(eq + 1), false);
      } else {
        throw new IllegalArgumentException(
            "invalid selector: '" + s + "'; can't understand '" + p + "'");
      }
      terms.add(t);
    }
    return new FieldSelector(List.copyOf(terms));
  }
}
