package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.relabel.RelabelAction;
import dev.quarry.relabel.RelabelConfig;
import dev.quarry.relabel.Relabeler;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sharding targets across replicas the way hashmod relabelling does. */
class ShardFilterTest {

  @Test
  void shardEqualsWhatAHashmodRuleComputes() {
    Relabeler hashmod =
        Relabeler.compile(
            List.of(
                RelabelConfig.of(
                    List.of("__address__"), null, null, 7L, "shard", null, RelabelAction.HASHMOD)));
    for (int i = 0; i < 200; i++) {
      String addr = "10.1." + (i / 250) + "." + (i % 250) + ":9100";
      String expected = hashmod.process(Labels.of("__address__", addr)).get("shard");
      assertEquals(expected, Long.toString(ShardFilter.shardOf(addr, 7)), addr);
    }
  }

  @ParameterizedTest(name = "count {0}, replication {1}: every target kept by exactly {1}")
  @CsvSource({"1, 1", "2, 1", "3, 1", "3, 2", "4, 4"})
  void everyTargetKeptByExactlyReplicationReplicas(int count, int replication) {
    int[] perShard = new int[count];
    for (int i = 0; i < 1000; i++) {
      String addr = "127.0.0.1:" + (20000 + i);
      int keepers = 0;
      for (int index = 0; index < count; index++) {
        if (new ShardFilter(count, index, replication).keepAddress(addr)) {
          keepers++;
          perShard[index]++;
        }
      }
      assertEquals(replication, keepers, addr);
    }
    for (int n : perShard) {
      double share = n / 1000.0;
      assertTrue(Math.abs(share - (double) replication / count) < 0.08, "uneven share " + share);
    }
  }

  @ParameterizedTest(name = "index \"{0}\", pod \"{1}\", count {2} -> {3}")
  @CsvSource({
    "'', quarry-0, 3, 0",
    "'', quarry-2, 3, 2",
    "'', quarry-4, 3, 1",
    "1, whatever, 2, 1",
    "'', host, 1, 0"
  })
  void indexFromSettingOrStatefulSetOrdinal(String explicit, String pod, int count, int expected) {
    assertEquals(expected, ShardFilter.indexOf(explicit, pod, count));
  }

  @Test
  void missingIndexWithSeveralShardsIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ShardFilter.indexOf(null, "laptop", 2));
    assertTrue(e.getMessage().contains("quarry.shard.index"), e.getMessage());
  }
}
