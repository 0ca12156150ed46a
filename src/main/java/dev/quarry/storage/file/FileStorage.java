package dev.quarry.storage.file;

import dev.quarry.storage.Appendable;
import dev.quarry.storage.Appender;
import dev.quarry.storage.HeadStatistics;
import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;

/**
 * The embedded file store: a write-ahead log under {@code dir/wal}, an in-memory head of recent
 * samples in compressed chunks, and immutable blocks {@code dir/<ULID>/} cut from the head's older
 * data, with retention by time and size and a {@link Querier} for raw reads.
 *
 * <p>Guarantees: a commit that returned is in the WAL (on disk under the every-commit sync policy)
 * and survives a crash; opening never fails because of a damaged WAL tail; series refs are stable
 * across restarts while the series is in the head. In agent mode only the WAL is kept: no chunks,
 * no blocks, no reads, and the WAL is truncated only by {@link #truncateWalBefore(int)}.
 *
 * <p>Thread-safe. Appends and commits run on the caller's thread (never an event loop: they do file
 * I/O); {@link #cutIfNeeded(long)} and {@link #applyRetention(long)} are meant for one housekeeping
 * thread and serialise among themselves.
 */
public final class FileStorage implements Appendable, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FileStorage.class);
  static final String WAL_DIR = "wal";

  private final Path dir;
  private final FileStorageSettings settings;
  private final InstantSource clock;
  private final Head head = new Head();
  private final WalWriter wal;
  private final WriteHealth writeHealth;
  private final AppendScratch scratch = new AppendScratch(32, 16); // about the commits at once
  private final ReentrantReadWriteLock blocksLock = new ReentrantReadWriteLock();
  private final List<Block> blocks = new ArrayList<>(); // guarded by blocksLock, by minTime
  private final Object housekeeping = new Object();
  private final WalReplay.Outcome replay;
  private volatile java.util.function.IntSupplier walFloor = () -> Integer.MAX_VALUE;
  private volatile boolean closed;

  private FileStorage(
      Path dir, FileStorageSettings settings, InstantSource clock, WalChannels channels)
      throws IOException {
    this.dir = dir;
    this.settings = settings;
    this.clock = clock;
    Files.createDirectories(dir);
    if (!settings.agentMode()) {
      openBlocks();
    }
    long blocksMax =
        blocks.isEmpty() ? Long.MIN_VALUE : blocks.get(blocks.size() - 1).meta().maxTime();
    if (blocksMax != Long.MIN_VALUE) {
      head.truncate(blocksMax); // samples the blocks already hold are not replayed into the head
    }
    this.replay = WalReplay.replay(dir.resolve(WAL_DIR), this::replayRecord);
    this.writeHealth = new WriteHealth(clock);
    this.wal =
        new WalWriter(
            dir.resolve(WAL_DIR), replay.lastSegment() + 1, settings, channels, writeHealth);
    LOG.infof(
        "file store %s opened: %d block(s), %d series in the head, %d WAL record(s) replayed",
        dir, blocks.size(), head.numSeries(), replay.records());
  }

  /**
   * Opens (or creates) the store in {@code dir}, replaying its WAL.
   *
   * @throws IOException when the directory cannot be created or read, or a block is unreadable
   */
  public static FileStorage open(Path dir, FileStorageSettings settings) throws IOException {
    return open(dir, settings, InstantSource.system());
  }

  public static FileStorage open(Path dir, FileStorageSettings settings, InstantSource clock)
      throws IOException {
    return open(dir, settings, clock, WalChannels.DEFAULT);
  }

  /** As the three-argument {@code open}, with the WAL's files opened through {@code wal}. */
  public static FileStorage open(
      Path dir, FileStorageSettings settings, InstantSource clock, WalChannels wal)
      throws IOException {
    return new FileStorage(dir, settings, clock, wal);
  }

  /** Whether the latest commit could be written to the WAL (a full disk shows here). */
  public WriteHealth writeHealth() {
    return writeHealth;
  }

  private void openBlocks() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp") || name.endsWith(".deleted")) {
          BlockWriter.deleteRecursively(p); // an interrupted cut or deletion
        } else if (Ulid.looksLike(name) && Files.isDirectory(p)) {
          blocks.add(Block.open(p));
        }
      }
    }
    blocks.sort(Comparator.comparingLong(b -> b.meta().minTime()));
  }

  private void replayRecord(WalRecord rec) {
    HeadReplay.apply(head, settings, rec);
  }

  @Override
  public Appender appender() {
    if (closed) {
      throw new IllegalStateException("file store " + dir + " is closed");
    }
    return new HeadAppender(head, wal, settings, scratch);
  }

  /** Reads raw data. */
  public Querier querier() {
    if (settings.agentMode()) {
      throw new UnsupportedOperationException(
          "reads of the file store are not available in agent mode");
    }
    return new Querier(head, this::blocksSnapshot, blocksLock.readLock());
  }

  private List<Block> blocksSnapshot() {
    return List.copyOf(blocks); // called under the read lock
  }

  /** The blocks on disk, oldest first. */
  public List<BlockMeta> blocks() {
    blocksLock.readLock().lock();
    try {
      return blocks.stream().map(Block::meta).toList();
    } finally {
      blocksLock.readLock().unlock();
    }
  }

  /** What replay found when the store was opened (records, dropped records, the warning). */
  WalReplay.Outcome replayOutcome() {
    return replay;
  }

  /** Figures for self-metrics. */
  public record Stats(
      long headSeries,
      long samplesAppended,
      long walWriteFailures,
      int walSegment,
      int blocks,
      long blockBytes,
      long walBytes,
      long headMaxTime) {}

  /** Current figures (lists the WAL directory: call from a scrape of /metrics, not a hot path). */
  public Stats stats() {
    int nBlocks;
    long bytes = 0;
    blocksLock.readLock().lock();
    try {
      nBlocks = blocks.size();
      for (Block b : blocks) {
        bytes += b.sizeBytes();
      }
    } finally {
      blocksLock.readLock().unlock();
    }
    return new Stats(
        head.numSeries(),
        head.samplesAppended.sum(),
        head.walWriteFailures.sum(),
        wal.currentSegment(),
        nBlocks,
        bytes,
        walBytes(),
        head.maxTime());
  }

  /** Cardinality figures of the head with the {@code top} entries of each ranking. */
  public HeadStatistics headStatistics(int top) {
    return HeadStatisticsScan.of(head, top);
  }

  /** The WAL segment being written (for remote write's reader). */
  public int currentWalSegment() {
    return wal.currentSegment();
  }

  /** The WAL as its readers (remote write) see it. */
  public WalSource walSource() {
    return new FileWalSource(this);
  }

  WalFeed walFeed() {
    return wal.feed();
  }

  public Path walDir() {
    return dir.resolve(WAL_DIR);
  }

  /** {@link #cutIfNeeded(long)} at the clock's current time. */
  public boolean cutIfNeeded() {
    return cutIfNeeded(clock.millis());
  }

  /**
   * Cuts the head's oldest block range into a block once the head spans 1.5 block ranges (as
   * Prometheus does, measured on the head's sample times), repeatedly while that holds; then
   * truncates the head and checkpoints the WAL behind the cut. Blocks are aligned to multiples of
   * the block range. {@code now} names the new blocks (their ULID time).
   *
   * @return whether a block was written
   * @throws UncheckedIOException when a block or the checkpoint cannot be written; the head and the
   *     WAL are then left as they were, so the cut can simply be retried
   */
  public boolean cutIfNeeded(long now) {
    if (settings.agentMode()) {
      return false;
    }
    synchronized (housekeeping) {
      long range = settings.blockRangeMillis();
      long cutUpTo = Long.MIN_VALUE;
      while (head.maxTime() != Long.MIN_VALUE) {
        long headMin = head.scanMinTime();
        if (headMin == Long.MAX_VALUE) {
          break;
        }
        long start = Math.floorDiv(headMin, range) * range;
        long end = start + range;
        if (head.maxTime() - start < range + range / 2) {
          break;
        }
        try {
          Path blockDir = BlockWriter.write(dir, head.allSeries(), start, end, Ulid.next(now));
          if (blockDir != null) {
            Block b = Block.open(blockDir);
            blocksLock.writeLock().lock();
            try {
              blocks.add(b);
              blocks.sort(Comparator.comparingLong(x -> x.meta().minTime()));
            } finally {
              blocksLock.writeLock().unlock();
            }
            LOG.infof(
                "cut block %s [%d, %d): %d series, %d samples",
                blockDir.getFileName(),
                start,
                end,
                b.meta().stats().numSeries(),
                b.meta().stats().numSamples());
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cutting block [" + start + ", " + end + ") in " + dir, e);
        }
        int removed = head.truncate(end);
        LOG.debugf("head truncated before %d, %d series removed", end, removed);
        cutUpTo = end;
      }
      if (cutUpTo == Long.MIN_VALUE) {
        return false;
      }
      checkpoint(cutUpTo);
      return true;
    }
  }

  /**
   * Sets who decides the lowest WAL segment still needed by readers of the WAL (remote write):
   * block cuts and truncations never delete that segment or later ones.
   */
  public void setWalFloor(java.util.function.IntSupplier floor) {
    walFloor = floor == null ? () -> Integer.MAX_VALUE : floor;
  }

  private void checkpoint(long keepSamplesFrom) {
    int last = Math.min(wal.roll() - 1, walFloor.getAsInt() - 1);
    if (last < 0) {
      return;
    }
    try {
      Checkpoint.Stats st =
          Checkpoint.write(walDir(), last, ref -> head.get(ref) != null, keepSamplesFrom);
      LOG.debugf(
          "WAL checkpoint up to segment %d: %d series, %d samples kept",
          last, st.series(), st.samples());
    } catch (IOException e) {
      throw new UncheckedIOException("WAL checkpoint up to segment " + last + " in " + walDir(), e);
    }
  }

  /**
   * Agent mode: drops WAL segments below {@code segment} (their samples were sent), keeping the
   * series records of every series still known in a checkpoint. Segments at or above the one being
   * written are never dropped.
   */
  public void truncateWalBefore(int segment) {
    segment = Math.min(segment, walFloor.getAsInt());
    synchronized (housekeeping) {
      int current = wal.currentSegment();
      int last;
      if (segment > current) {
        wal.roll(); // everything written so far was consumed: close the current segment too
        last = current;
      } else {
        last = segment - 1;
      }
      if (last < 0) {
        return;
      }
      try {
        Checkpoint.write(walDir(), last, ref -> head.get(ref) != null, Long.MAX_VALUE);
      } catch (IOException e) {
        throw new UncheckedIOException("WAL truncation before segment " + segment, e);
      }
    }
  }

  /** {@link #applyRetention(long)} at the clock's current time. */
  public int applyRetention() {
    return applyRetention(clock.millis());
  }

  /**
   * Deletes whole blocks that ended before {@code now - retentionTime}, then, when a size limit is
   * set, oldest blocks until blocks plus WAL fit it (the newest block is deleted too if need be, as
   * Prometheus does). Returns the number of blocks deleted.
   */
  public int applyRetention(long now) {
    synchronized (housekeeping) {
      List<Block> doomed = new ArrayList<>();
      blocksLock.writeLock().lock();
      try {
        long cutoff = now - settings.retentionMillis();
        blocks.removeIf(
            b -> {
              boolean old = b.meta().maxTime() <= cutoff;
              if (old) {
                doomed.add(b);
              }
              return old;
            });
        if (settings.retentionSizeBytes() > 0) {
          long total = walBytes();
          for (Block b : blocks) {
            total += b.sizeBytes();
          }
          while (total > settings.retentionSizeBytes() && !blocks.isEmpty()) {
            Block b = blocks.remove(0);
            total -= b.sizeBytes();
            doomed.add(b);
          }
        }
      } finally {
        blocksLock.writeLock().unlock();
      }
      for (Block b : doomed) {
        deleteBlock(b);
      }
      return doomed.size();
    }
  }

  private void deleteBlock(Block b) {
    try {
      b.close();
      Path gone = b.dir().resolveSibling(b.dir().getFileName() + ".deleted");
      Files.move(b.dir(), gone); // a crash mid-delete leaves no half block that looks whole
      BlockWriter.deleteRecursively(gone);
      LOG.infof(
          "retention deleted block %s [%d, %d)",
          b.dir().getFileName(), b.meta().minTime(), b.meta().maxTime());
    } catch (IOException e) {
      LOG.warnf("retention could not delete block %s: %s", b.dir(), e.getMessage());
    }
  }

  /** Bytes of the WAL directory (segments and checkpoint). */
  long walBytes() {
    try (var files = Files.list(walDir())) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (housekeeping) {
      wal.close();
      blocksLock.writeLock().lock();
      try {
        for (Block b : blocks) {
          b.close();
        }
        blocks.clear();
      } finally {
        blocksLock.writeLock().unlock();
      }
    }
  }
}
