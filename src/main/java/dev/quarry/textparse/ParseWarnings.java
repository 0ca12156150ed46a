package dev.quarry.textparse;

import java.util.Arrays;
import java.util.List;

/**
 * The specification rules a body broke that Prometheus 2.42 does not enforce (family order and
 * repetition, metadata placement, the value and label rules of a metric type): the scrape goes on
 * with exactly the samples Prometheus stores, and these say what is wrong. Keeps the first {@link
 * #MAX_KEPT} messages, each prefixed with its 1-based line and byte offset ({@code line 3 (byte
 * 42): ...}), and counts all of them. Owned by the parser's thread; {@link #kept()} returns a copy.
 */
public final class ParseWarnings {
  /** How many messages one body keeps; later ones are only counted. */
  public static final int MAX_KEPT = 10;

  /** No warnings, for parsers that check nothing beyond Prometheus; never added to. */
  public static final ParseWarnings NONE = new ParseWarnings();

  private final String[] kept = new String[MAX_KEPT];
  private int count;

  /** Forgets everything, for the next body. */
  void clear() {
    Arrays.fill(kept, 0, Math.min(count, MAX_KEPT), null);
    count = 0;
  }

  /** Whether a further message would be kept (its position is only worth computing then). */
  boolean wantsMore() {
    return count < MAX_KEPT;
  }

  void add(String message, int line, int byteOffset) {
    if (count < MAX_KEPT) {
      kept[count] = "line " + line + " (byte " + byteOffset + "): " + message;
    }
    count++;
  }

  /** Counts a message without keeping it. */
  void count() {
    count++;
  }

  /** How many rules the body broke, kept or not. */
  public int total() {
    return count;
  }

  /** The first {@link #MAX_KEPT} messages, in body order, as an immutable list. */
  public List<String> kept() {
    if (count == 0) {
      return List.of();
    }
    return List.of(Arrays.copyOf(kept, Math.min(count, MAX_KEPT)));
  }
}
