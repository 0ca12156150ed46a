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
 * label set costs one object plus its strings. A set made by {@link #join} keeps the two arrays it
 * was joined from instead, with a bit per label saying which array holds it: a scraped series'
 * labels then share the array of its exposed labels with the same series of other targets, and the
 * array of target labels with the other series of its target. Both forms are equal, hash and
 * compare alike when their labels are. The hash is computed once, at construction. An empty value
 * means "label absent", as in Prometheus: builders drop labels set to "".
 *
 * <p>Instances are safe to share between threads.
 */
public final class Labels implements Iterable<Label>, Comparable<Labels> {

  public static final Labels EMPTY = new Labels(new String[0]);

  /** Name of the metric name label. */
  public static final String METRIC_NAME = "__name__";

  /** The most labels a joined set holds: one bit each in {@link #mask}. */
  private static final int MAX_JOINED = 31;

  /** All names and values, or for a joined set those of the first part. */
  private final String[] kv;

  /** Null, or for a joined set the names and values of the second part. */
  private final String[] extra;

  /** For a joined set, bit {@code i} is set when label {@code i} is in {@link #extra}. */
  private final int mask;

  private final long hash;

  private Labels(String[] sortedKv) {
    this(sortedKv, null, 0);
  }

  private Labels(String[] kv, String[] extra, int mask) {
    this.kv = kv;
    this.extra = extra;
    this.mask = mask;
    this.hash = LabelStrings.hash(this);
  }

  /**
   * The union of {@code a} and {@code b}. When no name is in both, the result shares their arrays
   * rather than copying them; otherwise {@code b}'s value wins, as {@code a.toBuilder()} with every
   * label of {@code b} set would give.
   */
  public static Labels join(Labels a, Labels b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    int na = a.kv.length / 2;
    int nb = b.kv.length / 2;
    if (a.extra == null && b.extra == null && na + nb <= MAX_JOINED) {
      int mask = 0;
      int i = 0;
      int j = 0;
      int k = 0;
      while (i < na && j < nb) {
        int c = a.kv[2 * i].compareTo(b.kv[2 * j]);
        if (c == 0) {
          mask = -1;
          break;
        }
        if (c < 0) {
          i++;
        } else {
          mask |= 1 << k;
          j++;
        }
        k++;
      }
      if (mask != -1) {
        for (; j < nb; j++, k++) {
          mask |= 1 << k;
        }
        return new Labels(a.kv, b.kv, mask);
      }
    }
    Builder out = a.toBuilder();
    b.forEach(out::set);
    return out.build();
  }

  /** The {@code p}-th string of the names and values in order ({@code name0, value0, ...}). */
  private String str(int p) {
    if (extra == null) {
      return kv[p];
    }
    int i = p >>> 1;
    int before = Integer.bitCount(mask & ((1 << i) - 1));
    return (mask & (1 << i)) != 0 ? extra[2 * before + (p & 1)] : kv[2 * (i - before) + (p & 1)];
  }

  /** The number of names and values together. */
  private int strings() {
    return extra == null ? kv.length : kv.length + extra.length;
  }

  /** The names and values in one array (this set's own array when it has only one). */
  private String[] flat() {
    if (extra == null) {
      return kv;
    }
    String[] out = new String[strings()];
    for (int p = 0; p < out.length; p++) {
      out[p] = str(p);
    }
    return out;
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
    return strings() / 2;
  }

  public boolean isEmpty() {
    return strings() == 0;
  }

  public String name(int i) {
    return str(2 * i);
  }

  public String value(int i) {
    return str(2 * i + 1);
  }

  /** The value of {@code name}, or "" when absent (Prometheus' convention). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : str(2 * i + 1);
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  private int indexOf(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = str(2 * mid).compareTo(name);
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
    for (int p = 0, n = strings(); p < n; p += 2) {
      action.accept(str(p), str(p + 1));
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
        return i < strings();
      }

      @Override
      public Label next() {
        if (i >= strings()) {
          throw new NoSuchElementException();
        }
        Label l = new Label(str(i), str(i + 1));
        i += 2;
        return l;
      }
    };
  }

  @Override
  public int compareTo(Labels o) {
    return LabelStrings.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels other) || hash != other.hash) {
      return false;
    }
    if (extra == null && other.extra == null) {
      return Arrays.equals(kv, other.kv);
    }
    if (kv == other.kv && extra == other.extra && mask == other.mask) {
      return true;
    }
    int n = strings();
    if (n != other.strings()) {
      return false;
    }
    for (int p = 0; p < n; p++) {
      if (!str(p).equals(other.str(p))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hash);
  }

  /** Prometheus' rendering: {@code {a="1", b="2"}} with Go-style quoting of values. */
  @Override
  public String toString() {
    return LabelStrings.render(this);
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
      String[] flat = base.flat();
      kv = Arrays.copyOf(flat, Math.max(16, flat.length + 8));
      n = flat.length / 2;
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
      String[] flat = base.flat();
      if (kv.length < flat.length) {
        kv = Arrays.copyOf(flat, flat.length + 8);
      } else {
        Arrays.fill(kv, null);
        System.arraycopy(flat, 0, kv, 0, flat.length);
      }
      n = flat.length / 2;
      return this;
    }

    public Labels build() {
      return n == 0 ? EMPTY : new Labels(Arrays.copyOf(kv, 2 * n));
    }
  }
}
