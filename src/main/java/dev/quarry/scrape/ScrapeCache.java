package dev.quarry.scrape;

import dev.quarry.model.Labels;
import dev.quarry.storage.Metadata;
import dev.quarry.textparse.MetricType;
import dev.quarry.textparse.Parser;
import dev.quarry.textparse.SeriesHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a scrape loop remembers between scrapes of its target, so that a steady-state scrape of an
 * unchanged page parses no labels and relabels nothing.
 *
 * <ul>
 *   <li>Raw series bytes (name and label block as exposed) map to an {@link Entry}: the storage
 *       reference and final labels, or "dropped by metric relabelling". Lookups by a view into the
 *       body allocate nothing. The texts are shared with other targets' caches of the engine.
 *   <li>The same entries in page order: pages list their series in the same order scrape after
 *       scrape, so the parser is told which series to expect next and a line that starts with it
 *       needs no label scan, hash or lookup.
 *   <li>The series of the previous and of the current scrape, for staleness markers.
 *   <li>Metadata per metric family (type, help, unit), kept 10 scrapes after it was last seen.
 * </ul>
 *
 * <p>Entries not seen in a successful scrape are forgotten when the scrape completes; if failed
 * scrapes let the cache grow past twice the last successful size plus 1,000, it is flushed anyway.
 * Threading: used by one scrape at a time (the loop hands it between its event-loop context and the
 * append worker, never concurrently); survives reloads of the loop.
 */
public final class ScrapeCache {

  /** One cached series. {@code labels} is null when metric relabelling dropped it. */
  public static final class Entry {
    /** The raw series text, shared with other targets' caches through {@link SeriesTexts}. */
    final byte[] key;

    long ref;
    Labels labels;
    int lastIter;

    /** The scrape sequence number in which this entry was put on the current staleness list. */
    int trackedSeq = -1;

    /** The entry that followed this one in the page of the last scrape that saw it. */
    Entry pageNext;

    Entry(byte[] key) {
      this.key = key;
    }

    public long ref() {
      return ref;
    }

    public Labels labels() {
      return labels;
    }

    public boolean dropped() {
      return labels == null;
    }
  }

  /** A family's metadata and the last scrape iteration that exposed it. */
  static final class MetaEntry {
    private static final Metadata NONE = new Metadata(MetricType.UNKNOWN.wireName(), "", "");

    /** {@link Parser#helpHash()} of an empty help text. */
    static final long NO_HELP = SeriesHash.hash(new byte[0], 0, 0);

    final String family;

    /** The family name's bytes (ISO-8859-1) and their hash, for lookups by a view into a page. */
    final byte[] name;

    final long nameHash;
    volatile Metadata metadata = NONE;

    /** The hash of the help text as last written, to skip decoding an unchanged one. */
    long helpHash = NO_HELP;

    int lastIter;

    MetaEntry(String family, SeriesTexts texts) {
      this.family = family;
      byte[] bytes = family.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      this.nameHash = SeriesHash.hash(bytes, 0, bytes.length);
      this.name = texts.intern(bytes, 0, bytes.length, nameHash); // as series texts are
    }
  }

  private final SeriesTexts texts;

  /** A cache sharing series texts with the other caches of its engine through {@code texts}. */
  ScrapeCache(SeriesTexts texts) {
    this.texts = texts;
  }

  /** A cache sharing its series texts with no other. */
  public ScrapeCache() {
    this(new SeriesTexts());
  }

  // Open addressing by the text's hash, at most half full; rebuilt when entries are removed.
  private Entry[] table = new Entry[64];
  private int size;

  /** Entries whose lastIter is the current iter: when all are, a flush has nothing to remove. */
  private int seen;

  private int iter; // wraps after 2^32 scrapes; only compared for equality and small differences
  private int successfulCount;

  private int seq;
  // Page order: the first entry of the last scrape, and the last entry seen in this one.
  private Entry first;
  private Entry cursor;
  private ArrayList<Entry> prev = new ArrayList<>();
  private ArrayList<Entry> cur = new ArrayList<>();

  // Read by API threads while the scrape writes it.
  private final Map<String, MetaEntry> metadata = new java.util.concurrent.ConcurrentHashMap<>();
  // The same entries by the family name's bytes (open addressing, at most half full), so a steady
  // scrape finds its families without making a String of each name.
  private MetaEntry[] metaTable = new MetaEntry[64];
  private int metaSeen;
  // The last family looked up in this scrape's page: a TYPE line follows its HELP line.
  private byte[] lastMetaBuf;
  private int lastMetaOff;
  private int lastMetaLen;
  private MetaEntry lastMeta;

  /** The entry for {@code buf[off, off+len)} with hash {@code hash}, or null. Allocates nothing. */
  public Entry get(byte[] buf, int off, int len, long hash) {
    Entry[] t = table;
    int mask = t.length - 1;
    Entry e;
    for (int i = index(hash, mask); (e = t[i]) != null; i = (i + 1) & mask) {
      if (Arrays.equals(e.key, 0, e.key.length, buf, off, off + len)) {
        return hit(e);
      }
    }
    return null;
  }

  /**
   * The entry the next sample is expected to be, as pages list their series in the same order
   * scrape after scrape: the one that followed the last entry looked up, or null. Its {@link
   * #key(Entry)} is what {@link dev.quarry.textparse.Parser#expect(byte[])} takes.
   */
  public Entry expected() {
    return cursor == null ? first : cursor.pageNext;
  }

  /** The raw series bytes of {@code e}. */
  public static byte[] key(Entry e) {
    return e.key;
  }

  /** Counts {@code e}, returned by {@link #expected()} and matched by the parser, as found. */
  public Entry hit(Entry e) {
    if (e.lastIter != iter) {
      e.lastIter = iter;
      seen++;
    }
    follow(e);
    return e;
  }

  private void follow(Entry e) {
    if (cursor == null) {
      first = e;
    } else if (cursor.pageNext != e) {
      cursor.pageNext = e;
    }
    cursor = e;
  }

  /** Ends the page order of a scrape; links from entries not seen in it are dropped with them. */
  private void endPage() {
    if (cursor == null) {
      first = null;
    } else {
      cursor.pageNext = null;
      cursor = null;
    }
  }

  /** Caches a series seen for the first time; {@code labels} null marks it dropped. */
  public Entry add(byte[] buf, int off, int len, long hash, long ref, Labels labels) {
    Entry e = new Entry(texts.intern(buf, off, len, hash));
    e.ref = ref;
    e.labels = labels;
    e.lastIter = iter;
    seen++;
    follow(e);
    if (++size * 2 > table.length) {
      rebuild(table.length * 2, false);
    }
    insert(table, e, hash);
    return e;
  }

  /** Number of cached series (dropped ones included). */
  public int size() {
    return size;
  }

  /** Starts a scrape's append: the series list for staleness starts empty. */
  public void beginScrape() {
    seq++;
    cur.clear();
    cursor = null;
    lastMetaBuf = null;
  }

  /** Notes that {@code e} was appended in this scrape without an explicit timestamp. */
  public void trackStaleness(Entry e) {
    if (e.trackedSeq != seq) {
      e.trackedSeq = seq;
      cur.add(e);
    }
  }

  /**
   * Calls {@code f} with the labels of every series of the previous scrape absent from this one.
   */
  public void forEachStale(Consumer<Labels> f) {
    for (Entry e : prev) {
      if (e.trackedSeq != seq && e.labels != null) {
        f.accept(e.labels);
      }
    }
  }

  /**
   * Ends a scrape whose append was committed. {@code flush} (the scrape had a body) forgets entries
   * not seen in it; the current series become the previous ones.
   */
  public void iterDone(boolean flush) {
    endPage();
    int count = size + metadata.size();
    if (flush) {
      successfulCount = count;
    } else if (count > successfulCount * 2 + 1000) {
      flush = true; // varying series from failed scrapes: don't let the cache grow forever
    }
    if (flush) {
      if (seen != size) {
        removeEntriesNotSeenIn();
      }
      // A family unseen in this iteration may have gone stale; none is when all were seen.
      if (metaSeen != metadata.size() && metadata.values().removeIf(this::staleMeta)) {
        rebuildMetaTable();
      }
      iter++;
      seen = 0;
      metaSeen = 0;
    }
    ArrayList<Entry> t = prev;
    prev = cur;
    // The lists stay as long as the page: a steady page then fills the next one without growing
    // it, and thousands of targets keep no spare half of a list each.
    prev.trimToSize();
    cur = t;
    cur.clear();
  }

  /** Ends a scrape whose append was rolled back: its series do not count as seen for staleness. */
  public void abortScrape() {
    endPage();
    for (Entry e : cur) {
      e.trackedSeq = -1;
    }
    cur.clear();
    seq++;
  }

  /**
   * The metadata entry of a family seen in this scrape, created (type unknown, no help or unit) the
   * first time; its {@code metadata} is replaced when a line changes it.
   */
  MetaEntry metaEntry(String family) {
    MetaEntry e = metadata.get(family);
    if (e == null) {
      e = new MetaEntry(family.intern(), texts); // one String for the family across all targets
      metadata.put(e.family, e);
      putMeta(e);
    }
    touch(e);
    return e;
  }

  /**
   * {@link #metaEntry(String)} for the family name {@code buf[off, off+len)} (ASCII) of the page
   * being appended.
   */
  MetaEntry metaEntry(byte[] buf, int off, int len) {
    if (buf == lastMetaBuf
        && Arrays.equals(buf, off, off + len, buf, lastMetaOff, lastMetaOff + lastMetaLen)) {
      return lastMeta;
    }
    long h = SeriesHash.hash(buf, off, len);
    MetaEntry[] t = metaTable;
    int mask = t.length - 1;
    MetaEntry e;
    for (int i = metaSlot(h, mask); (e = t[i]) != null; i = (i + 1) & mask) {
      if (e.nameHash == h && Arrays.equals(e.name, 0, e.name.length, buf, off, off + len)) {
        touch(e);
        break;
      }
    }
    if (e == null) {
      e = metaEntry(new String(buf, off, len, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    lastMetaBuf = buf;
    lastMetaOff = off;
    lastMetaLen = len;
    lastMeta = e;
    return e;
  }

  private void touch(MetaEntry e) {
    if (e.lastIter != iter) {
      e.lastIter = iter;
      metaSeen++;
    }
  }

  private static int metaSlot(long h, int mask) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void putMeta(MetaEntry e) {
    if (metadata.size() * 2 > metaTable.length) {
      metaTable = new MetaEntry[metaTable.length * 2];
      rebuildMetaTable();
      return; // the rebuild placed e, already in the map
    }
    insertMeta(metaTable, e);
  }

  private void rebuildMetaTable() {
    Arrays.fill(metaTable, null);
    for (MetaEntry m : metadata.values()) {
      insertMeta(metaTable, m);
    }
  }

  private static void insertMeta(MetaEntry[] t, MetaEntry e) {
    int mask = t.length - 1;
    int i = metaSlot(e.nameHash, mask);
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = e;
  }

  /** A family not exposed in the last 10 successful scrapes is forgotten. */
  private boolean staleMeta(MetaEntry m) {
    return iter - m.lastIter > 10;
  }

  /** The metadata of a family, or null. */
  public Metadata metadata(String family) {
    MetaEntry e = metadata.get(family);
    return e == null ? null : e.metadata;
  }

  /** A snapshot of every family's metadata, for the targets metadata API. */
  public Map<String, Metadata> allMetadata() {
    Map<String, Metadata> out = new HashMap<>();
    metadata.forEach((k, v) -> out.put(k, v.metadata));
    return out;
  }

  private void removeEntriesNotSeenIn() {
    int length = 64;
    while (length < seen * 2) {
      length *= 2;
    }
    rebuild(length, true);
    size = seen;
  }

  private static int index(long hash, int mask) {
    return (int) (hash ^ (hash >>> 32)) & mask;
  }

  private static void insert(Entry[] t, Entry e, long hash) {
    int mask = t.length - 1;
    int i = index(hash, mask);
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = e;
  }

  /** Moves the entries (only those seen in this iteration if {@code seenOnly}) to a new table. */
  private void rebuild(int length, boolean seenOnly) {
    Entry[] old = table;
    table = new Entry[length];
    for (Entry e : old) {
      if (e != null && (!seenOnly || e.lastIter == iter)) {
        insert(table, e, SeriesHash.hash(e.key, 0, e.key.length));
      }
    }
  }
}
