package dev.quarry.config;

import java.util.Locale;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * What the storage keeps ({@code quarry.storage.mode}): {@link #SERVER} the file store with blocks
 * and reads, {@link #AGENT} only the WAL (for remote write), {@link #MEMORY} nothing on disk.
 */
public enum StorageMode {
  SERVER,
  AGENT,
  MEMORY;

  /** The setting's spelling: {@code server}, {@code agent}, {@code memory}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the file store (and its WAL) is open in this mode. */
  public boolean hasWal() {
    return this != MEMORY;
  }

  /** Reads the setting; anything but the three names fails the start naming them. */
  public static final class SettingConverter implements Converter<StorageMode> {
    @Override
    public StorageMode convert(String value) {
      for (StorageMode m : values()) {
        if (m.toString().equals(value.trim())) {
          return m;
        }
      }
      throw new IllegalArgumentException("expected server, agent or memory, got \"" + value + "\"");
    }
  }
}
