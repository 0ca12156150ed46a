package dev.quarry.storage.file;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A block's {@code meta.json}: its ULID, time range ({@code maxTime} exclusive, as in Prometheus)
 * and statistics. Field names follow Prometheus' meta file so familiar tools read it.
 */
public record BlockMeta(String ulid, long minTime, long maxTime, Stats stats, int version) {
  static final String FILE = "meta.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Counts of what the block holds. */
  public record Stats(long numSamples, long numSeries, long numChunks) {}

  void write(Path blockDir) throws IOException {
    Files.write(
        blockDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }

  static BlockMeta read(Path blockDir) throws IOException {
    Path p = blockDir.resolve(FILE);
    try {
      BlockMeta m = JSON.readValue(p.toFile(), BlockMeta.class);
      if (m.stats() == null || m.maxTime() < m.minTime()) {
        throw new IOException(p + ": missing stats or maxTime before minTime");
      }
      return m;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(p + ": " + e.getOriginalMessage(), e);
    }
  }
}
