package dev.quarry.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.model.Labels;
import dev.quarry.storage.Appender;
import dev.quarry.storage.HeadStatistics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head's cardinality figures, counted as Prometheus' TSDB status counts them. */
class HeadStatisticsTest {
  @TempDir Path dir;

  @Test
  void countsSeriesPairsChunksAndRankings() throws Exception {
    try (FileStorage fs = FileStorage.open(dir, FileStorageSettings.DEFAULTS)) {
      Appender a = fs.appender();
      a.append(0, Labels.of("__name__", "http", "code", "200"), 1000, 1);
      a.append(0, Labels.of("__name__", "http", "code", "500"), 1000, 1);
      a.append(0, Labels.of("__name__", "up", "code", "200"), 3000, 1);
      a.commit();
      HeadStatistics h = fs.headStatistics(10);
      assertEquals(3, h.numSeries());
      assertEquals(4, h.numLabelPairs(), "__name__=http, __name__=up, code=200, code=500");
      assertEquals(3, h.chunkCount());
      assertEquals(1000, h.minTime());
      assertEquals(3000, h.maxTime());
      assertEquals(
          List.of(new HeadStatistics.Stat("http", 2), new HeadStatistics.Stat("up", 1)),
          h.seriesCountByMetricName());
      assertEquals(
          List.of(new HeadStatistics.Stat("__name__", 2), new HeadStatistics.Stat("code", 2)),
          h.labelValueCountByLabelName());
      assertEquals(
          List.of(
              new HeadStatistics.Stat("__name__", 4 + 4 + 2),
              new HeadStatistics.Stat("code", 3 + 3 + 3)),
          h.memoryInBytesByLabelName(),
          "value bytes times the series holding them");
      assertEquals(
          new HeadStatistics.Stat("__name__=http", 2), h.seriesCountByLabelValuePair().get(0));
      assertEquals(1, fs.headStatistics(1).seriesCountByLabelValuePair().size(), "top 1");
    }
  }
}
