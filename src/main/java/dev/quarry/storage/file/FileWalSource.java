package dev.quarry.storage.file;

import dev.quarry.storage.WalRecord;
import dev.quarry.storage.WalSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/** The file store's WAL as a {@link WalSource}: its directory read by {@link WalTailer}s. */
final class FileWalSource implements WalSource {
  private final FileStorage storage;
  private final Path walDir;

  FileWalSource(FileStorage storage) {
    this.storage = storage;
    this.walDir = storage.walDir();
  }

  @Override
  public int firstSegment() throws IOException {
    return WalTailer.firstSegment(walDir);
  }

  @Override
  public int currentSegment() {
    return storage.currentWalSegment();
  }

  @Override
  public int readCheckpoint(Consumer<WalRecord> sink) throws IOException {
    return WalTailer.readCheckpoint(walDir, sink);
  }

  @Override
  public Cursor open(int segment, long offset) {
    return new FedCursor(new WalTailer(walDir, segment, offset), storage.walFeed().subscribe());
  }

  @Override
  public long bytesFrom(int segment, long offset) throws IOException {
    long total = 0;
    try (var files = Files.newDirectoryStream(walDir)) {
      for (Path p : files) {
        String n = p.getFileName().toString();
        if (n.length() == 8 && n.chars().allMatch(Character::isDigit)) {
          int idx = Integer.parseInt(n);
          if (idx >= segment) {
            long size = Files.size(p);
            total += idx == segment ? Math.max(0, size - offset) : size;
          }
        }
      }
    } catch (NoSuchFileException e) {
      // a segment deleted while listing
    }
    return total;
  }

  @Override
  public void setFloor(IntSupplier lowestNeeded) {
    storage.setWalFloor(lowestNeeded);
  }

  @Override
  public void truncateBefore(int segment) {
    storage.truncateWalBefore(segment);
  }
}
