package dev.quarry.storage.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the WAL's segment files for appending. {@link #DEFAULT} opens real files; tests hand in one
 * whose channels fail as a full disk does ({@code IOException: No space left on device}) without
 * needing a full file system. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface WalChannels {
  WalChannels DEFAULT =
      segment ->
          FileChannel.open(
              segment,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);

  /** A channel positioned at the end of {@code segment}, created when missing. */
  FileChannel open(Path segment) throws IOException;
}
