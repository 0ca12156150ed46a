package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.storage.Metadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/v1/metadata}'s merge of the targets' metadata, with its filters. */
class MetadataCollectTest {
  private static final Metadata REQ_A = new Metadata("counter", "Requests.", "");
  private static final Metadata REQ_B = new Metadata("counter", "Requests handled.", "");
  private static final Metadata TEMP = new Metadata("gauge", "Temperature.", "celsius");

  /** Three targets: two describe requests_total differently, one repeats the first. */
  private static final List<Map<String, Metadata>> TARGETS =
      List.of(
          Map.of("requests_total", REQ_A, "temp", TEMP),
          Map.of("requests_total", REQ_B),
          Map.of("requests_total", REQ_A, "temp", TEMP));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "all, sorted, duplicates merged | ''             | -1 | -1 | requests_total=2 temp=1",
        "one metric                     | temp           | -1 | -1 | temp=1",
        "an unknown metric              | nope           | -1 | -1 | ''",
        "limit on names                 | ''             | 1  | -1 | requests_total=2",
        "limit 0 gives nothing (2.42)   | ''             | 0  | -1 | ''",
        "limit per metric               | ''             | -1 | 1  | requests_total=1 temp=1",
        "limit per metric 0: no limit   | requests_total | -1 | 0  | requests_total=2",
      })
  void filters(String name, String metric, int limit, int perMetric, String want) {
    Map<String, List<Map<String, String>>> got =
        MetadataResource.collect(TARGETS, metric, limit, perMetric);
    StringBuilder sb = new StringBuilder();
    got.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v.size()));
    assertEquals(want, sb.toString());
  }
}
