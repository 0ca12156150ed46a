package dev.quarry.relabel;

import dev.quarry.model.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.Predicate;

/**
 * One validated {@link RelabelConfig} with everything that can be worked out ahead of time worked
 * out: the compiled regex, the parsed templates, and which fast path the rule takes.
 *
 * <p>Immutable and safe to share; {@link #apply} only touches the builder it is given.
 */
final class RelabelRule {
  private final RelabelAction action;
  private final String[] sources;
  private final String separator;
  private final Re2Pattern pattern;
  private final String target;
  private final long modulus;

  /** Target with {@code $} references (replace only), or null when the target is a plain name. */
  private final ExpandTemplate targetTemplate;

  private final ExpandTemplate replacement;
  private final String literalReplacement;

  /** Replace with no references anywhere: a match sets the target to the replacement as is. */
  private final boolean literalReplace;

  /** Replace of {@code (.*)} by {@code $1} into a plain target: the target gets the value. */
  private final boolean copyValue;

  private final Predicate<String> nameMatches;
  private final Predicate<String> nameDoesNotMatch;

  /**
   * {@code stack}: where a deep regex matches (see {@link Re2Pattern#compile(String, LargeStack)}).
   */
  RelabelRule(RelabelConfig c, LargeStack stack) {
    this.action = c.action();
    this.sources = c.sourceLabels().toArray(new String[0]);
    this.separator = c.separator();
    this.pattern = Re2Pattern.compile(c.regex(), stack);
    this.target = c.targetLabel();
    this.modulus = c.modulus();
    boolean templatedTarget = action == RelabelAction.REPLACE && target.contains("$");
    this.targetTemplate = templatedTarget ? ExpandTemplate.parse(target, pattern) : null;
    this.replacement = ExpandTemplate.parse(c.replacement(), pattern);
    this.literalReplacement = c.replacement();
    this.literalReplace = !templatedTarget && !c.replacement().contains("$");
    this.copyValue =
        !templatedTarget
            && pattern.isCaptureAll()
            && (c.replacement().equals("$1") || c.replacement().equals("${1}"));
    Re2Pattern p = pattern;
    this.nameMatches = p::matches;
    this.nameDoesNotMatch = name -> !p.matches(name);
  }

  /** Applies the rule; false when the label set is to be dropped. */
  boolean apply(Labels.Builder b) {
    switch (action) {
      case KEEP:
        return pattern.matches(joined(b));
      case DROP:
        return !pattern.matches(joined(b));
      case KEEPEQUAL:
        return b.get(target).equals(joined(b));
      case DROPEQUAL:
        return !b.get(target).equals(joined(b));
      case REPLACE:
        replace(b, joined(b));
        return true;
      case LOWERCASE:
        b.set(target, CaseMapping.lower(joined(b)));
        return true;
      case UPPERCASE:
        b.set(target, CaseMapping.upper(joined(b)));
        return true;
      case HASHMOD:
        b.set(target, Long.toUnsignedString(hashMod(joined(b), modulus)));
        return true;
      case LABELMAP:
        labelMap(b);
        return true;
      case LABELDROP:
        b.removeIf(nameMatches);
        return true;
      case LABELKEEP:
        b.removeIf(nameDoesNotMatch);
        return true;
      default:
        throw new IllegalStateException("unhandled relabel action " + action);
    }
  }

  /** Source values joined by the separator; an absent label counts as "". */
  private String joined(Labels.Builder b) {
    switch (sources.length) {
      case 0:
        return "";
      case 1:
        return b.get(sources[0]);
      default:
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sources.length; i++) {
          if (i > 0) {
            sb.append(separator);
          }
          sb.append(b.get(sources[i]));
        }
        return sb.toString();
    }
  }

  private void replace(Labels.Builder b, String value) {
    if (copyValue) {
      b.set(target, value);
      return;
    }
    if (literalReplace) {
      if (pattern.matches(value)) {
        b.set(target, literalReplacement);
      }
      return;
    }
    int[] m = pattern.match(value);
    if (m == null) {
      return; // no match, no change
    }
    String name = targetTemplate == null ? target : targetTemplate.expand(value, m);
    if (!LabelNames.isValid(name)) {
      return; // a target that expands to an invalid name is skipped, not an error
    }
    b.set(name, replacement.expand(value, m)); // an empty result deletes the label
  }

  private void labelMap(Labels.Builder b) {
    // Work out every new name first: setting labels while walking the builder would visit the
    // labels just added.
    int n = b.size();
    String[] pending = null;
    int count = 0;
    for (int i = 0; i < n; i++) {
      String name = b.name(i);
      int[] m = pattern.match(name);
      if (m == null) {
        continue;
      }
      String mapped = replacement.expand(name, m);
      if (!LabelNames.isValid(mapped)) {
        continue;
      }
      if (pending == null) {
        pending = new String[2 * (n - i)];
      }
      pending[2 * count] = mapped;
      pending[2 * count + 1] = b.value(i);
      count++;
    }
    for (int k = 0; k < count; k++) {
      b.set(pending[2 * k], pending[2 * k + 1]);
    }
  }

  /** MD5 of the UTF-8 bytes; the last 8 bytes as an unsigned big-endian number, mod modulus. */
  static long hashMod(String value, long modulus) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("MD5"); // a lookup in a cached provider table, no state kept
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime ships MD5", e);
    }
    byte[] sum = md.digest(value.getBytes(StandardCharsets.UTF_8));
    long x = 0;
    for (int i = 8; i < 16; i++) {
      x = (x << 8) | (sum[i] & 0xff);
    }
    return Long.remainderUnsigned(x, modulus);
  }

  static RelabelRule[] compileAll(List<RelabelConfig> configs, LargeStack stack) {
    RelabelRule[] rules = new RelabelRule[configs.size()];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = new RelabelRule(configs.get(i), stack);
    }
    return rules;
  }
}
