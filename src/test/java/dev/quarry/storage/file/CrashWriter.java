package dev.quarry.storage.file;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import java.nio.file.Path;

/**
 * Child process for {@link CrashRecoveryTest}: appends scrapes of {@code SERIES} series at
 * timestamps 1, 2, 3... and prints the number of each committed scrape once its commit returned,
 * until it is killed. Usage: {@code CrashWriter <dir>}.
 */
public final class CrashWriter {
  static final int SERIES = 50;

  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    FileStorage fs = FileStorage.open(Path.of(args[0]), FileStorageSettings.DEFAULTS);
    long[] refs = new long[SERIES];
    for (long scrape = 1; ; scrape++) {
      Appender a = fs.appender();
      for (int i = 0; i < SERIES; i++) {
        refs[i] = a.append(refs[i], labels(i), scrape, scrape * 10 + i);
      }
      a.commit();
      System.out.println(scrape);
      System.out.flush();
    }
  }

  static Labels labels(int i) {
    return Labels.of("__name__", "crash_test", "series", Integer.toString(i));
  }
}
