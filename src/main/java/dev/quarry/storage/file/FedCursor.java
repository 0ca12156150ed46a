package dev.quarry.storage.file;

import dev.quarry.storage.WalSource;
import java.io.IOException;

/**
 * A WAL cursor that takes records from the writer's {@link WalFeed} when the next one waiting there
 * starts exactly at the cursor's position, and reads the segment with its {@link WalTailer}
 * otherwise. It returns the same records at the same positions as the tailer alone would, so what
 * readers persist and resume from is unchanged; only the reading and decoding of frames the process
 * has just written is saved, and the look at the file when nothing was written since.
 *
 * <p>Not thread-safe: one reader thread, like the tailer.
 */
final class FedCursor implements WalSource.Cursor {
  private final WalTailer file;
  private final WalFeed.Subscription feed;
  private long fromMemory;
  private long fromFile;

  FedCursor(WalTailer file, WalFeed.Subscription feed) {
    this.file = file;
    this.feed = feed;
  }

  @Override
  public WalSource.Entry next() throws IOException {
    int seg = file.segment();
    long off = file.offset();
    WalFeed.Item it;
    while ((it = feed.peek()) != null) {
      if (it.segment() < seg || (it.segment() == seg && it.start() < off)) {
        feed.pop(); // already read from the segment
        continue;
      }
      if (it.segment() == seg && it.start() == off) {
        feed.pop();
        file.seek(seg, it.end());
        fromMemory++;
        return new WalSource.Entry(it.record(), seg, it.end());
      }
      break; // records between here and there are only in the file
    }
    if (it == null && feed.drainedAt(seg, off)) {
      return null; // nothing written since: no need to look at the segment (the idle poll)
    }
    WalSource.Entry e = file.next();
    if (e != null) {
      fromFile++;
    }
    return e;
  }

  /** Records taken from memory so far. */
  long fromMemory() {
    return fromMemory;
  }

  /** Records read from the segments so far. */
  long fromFile() {
    return fromFile;
  }

  @Override
  public int segment() {
    return file.segment();
  }

  @Override
  public long offset() {
    return file.offset();
  }

  @Override
  public void close() throws IOException {
    feed.close();
    file.close();
  }
}
