package dev.quarry.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by name, with unique names and no empty values.
 *
 * <p>Names and values are kept interleaved in one array ({@code name0, value0, name1, ...}) so a
 * label set costs one object plus its strings. The hash is computed once, at construction. An
 * empty value means "label absent", as in Prometheus: builders drop labels set to "".
 *
 * <p>Instances are safe to share between threads.
 */
public final class Labels implements Iterable<Label>, Comparable<Labels> {

  public static final Labels EMPTY = new Labels(new String[0]);

  /** Name of the metric name label. */
  public static final String METRIC_NAME = "__name__";

  private final String[] kv;
  private final long hash;

  private Labels(String[] sortedKv) {
    this.kv = sortedKv;
    this.hash = computeHash(sortedKv);
  }

  /** Builds a label set from alternating names and values; empty values are skipped. */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of strings: names and values must pair");
    }
    Builder b = new Builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.set(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** Builds a label set from a map; empty values are skipped. */
  public static Labels of(Map<String, String> map) {
    Builder b = new Builder();
    map.forEach(b::set);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this label set. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public int size() {
    return kv.length / 2;
  }

  public boolean isEmpty() {
    return kv.length == 0;
  }

  public String name(int i) {
    return kv[2 * i];
  }

  public String value(int i) {
    return kv[2 * i + 1];
  }

  /** The value of {@code name}, or "" when absent (Prometheus' convention). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : kv[2 * i + 1];
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  private int indexOf(String name) {
    int lo = 0;
    int hi = kv.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = kv[2 * mid].compareTo(name);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < kv.length; i += 2) {
      action.accept(kv[i], kv[i + 1]);
    }
  }

  /** The 64-bit hash of names and values, stable across runs (FNV-1a over UTF-16 code units). */
  public long hash() {
    return hash;
  }

  /** An insertion-ordered copy as a map (for JSON output and tests, not for hot paths). */
  public Map<String, String> toMap() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    forEach(m::put);
    return m;
  }

  public List<Label> asList() {
    List<Label> out = new ArrayList<>(size());
    for (Label l : this) {
      out.add(l);
    }
    return out;
  }

  @Override
  public Iterator<Label> iterator() {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < kv.length;
      }

      @Override
      public Label next() {
        if (i >= kv.length) {
          throw new NoSuchElementException();
        }
        Label l = new Label(kv[i], kv[i + 1]);
        i += 2;
        return l;
      }
    };
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(kv.length, o.kv.length);
    for (int i = 0; i < n; i++) {
      int c = kv[i].compareTo(o.kv[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(kv.length, o.kv.length);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Labels other && hash == other.hash && Arrays.equals(kv, other.kv));
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hash);
  }

  /** Prometheus' rendering: {@code {a="1", b="2"}} with Go-style quoting of values. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(kv[i]).append("=\"");
      appendEscaped(sb, kv[i + 1]);
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

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static long computeHash(String[] kv) {
    long h = FNV_OFFSET;
    for (String s : kv) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        h ^= (c & 0xff);
        h *= FNV_PRIME;
        h ^= (c >>> 8);
        h *= FNV_PRIME;
      }
      h ^= 0xff; // separator: no string holds U+00FF as a low byte followed by this marker pattern
      h *= FNV_PRIME;
    }
    return h;
  }

  /**
   * A mutable builder. {@code set} with an empty value deletes, as in Prometheus. Not thread-safe.
   */
  public static final class Builder {
    private String[] kv;
    private int n; // number of pairs in use; kept sorted by name

    Builder() {
      kv = new String[16];
    }

    Builder(Labels base) {
      kv = Arrays.copyOf(base.kv, Math.max(16, base.kv.length + 8));
      n = base.kv.length / 2;
    }

    private int find(String name) {
      int lo = 0;
      int hi = n - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = kv[2 * mid].compareTo(name);
        if (c == 0) {
          return mid;
        }
        if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return -(lo + 1);
    }

    /** Sets {@code name} to {@code value}; an empty or null value removes the label. */
    public Builder set(String name, String value) {
      if (value == null || value.isEmpty()) {
        return del(name);
      }
      int i = find(name);
      if (i >= 0) {
        kv[2 * i + 1] = value;
        return this;
      }
      int at = -(i + 1);
      if (2 * (n + 1) > kv.length) {
        kv = Arrays.copyOf(kv, kv.length * 2);
      }
      System.arraycopy(kv, 2 * at, kv, 2 * at + 2, 2 * (n - at));
      kv[2 * at] = name;
      kv[2 * at + 1] = value;
      n++;
      return this;
    }

    /** Sets the label only when it is not present yet. */
    public Builder setIfAbsent(String name, String value) {
      if (find(name) < 0) {
        set(name, value);
      }
      return this;
    }

    public Builder del(String name) {
      int i = find(name);
      if (i >= 0) {
        System.arraycopy(kv, 2 * i + 2, kv, 2 * i, 2 * (n - i - 1));
        n--;
        kv[2 * n] = null;
        kv[2 * n + 1] = null;
      }
      return this;
    }

    /** The current value of {@code name}, or "". */
    public String get(String name) {
      int i = find(name);
      return i >= 0 ? kv[2 * i + 1] : "";
    }

    public boolean has(String name) {
      return find(name) >= 0;
    }

    public int size() {
      return n;
    }

    public String name(int i) {
      return kv[2 * i];
    }

    public String value(int i) {
      return kv[2 * i + 1];
    }

    /** Removes every label whose name matches {@code filter}. */
    public Builder removeIf(java.util.function.Predicate<String> filter) {
      int w = 0;
      for (int r = 0; r < n; r++) {
        if (!filter.test(kv[2 * r])) {
          kv[2 * w] = kv[2 * r];
          kv[2 * w + 1] = kv[2 * r + 1];
          w++;
        }
      }
      for (int i = w; i < n; i++) {
        kv[2 * i] = null;
        kv[2 * i + 1] = null;
      }
      n = w;
      return this;
    }

    /**
     * Replaces the contents with {@code count} pairs whose names are sorted and unique (empty
     * values are skipped): a parser that already sorted a series' labels fills the builder without
     * a search per label.
     */
    public Builder setAllSorted(String[] names, String[] values, int count) {
      if (kv.length < 2 * count) {
        kv = new String[2 * count + 8];
      }
      int w = 0;
      for (int i = 0; i < count; i++) {
        String v = values[i];
        if (v != null && !v.isEmpty()) {
          kv[w++] = names[i];
          kv[w++] = v;
        }
      }
      for (int i = w; i < 2 * n; i++) {
        kv[i] = null;
      }
      n = w / 2;
      return this;
    }

    public Builder reset(Labels base) {
      if (kv.length < base.kv.length) {
        kv = Arrays.copyOf(base.kv, base.kv.length + 8);
      } else {
        Arrays.fill(kv, null);
        System.arraycopy(base.kv, 0, kv, 0, base.kv.length);
      }
      n = base.kv.length / 2;
      return this;
    }

    public Labels build() {
      return n == 0 ? EMPTY : new Labels(Arrays.copyOf(kv, 2 * n));
    }
  }
}
