package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two Quarry scrape engines with shard count 2 over 100 real nginx targets (bench/farm.sh): every
 * target is scraped by exactly one of them, and by both with replication 2.
 */
class ShardingFarmTest {
  static final int TARGETS = 100;
  static final int BASE = 23100;
  static Path dir;

  @BeforeAll
  static void farm() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
    dir = Files.createTempDirectory("quarry-shard-farm");
    run("start", Integer.toString(TARGETS), Integer.toString(BASE), dir.toString());
  }

  @AfterAll
  static void stopFarm() throws Exception {
    if (dir != null) {
      run("stop", dir.toString());
    }
  }

  private static void run(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = Path.of("bench/farm.sh").toAbsolutePath().toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("farm.sh " + String.join(" ", args) + " failed");
    }
  }

  private static Set<String> scrapedUp(EngineHarness h) {
    Set<String> up = new HashSet<>();
    ScrapePool pool = h.manager.pools().get("farm");
    if (pool != null) {
      for (Target t : pool.activeTargets()) {
        if (t.health().snapshot().state() == TargetHealth.State.UP) {
          up.add(t.labels().get("__address__"));
        }
      }
    }
    return up;
  }

  @ParameterizedTest(name = "replication {0}")
  @CsvSource({"1", "2"})
  void everyTargetScrapedByItsShare(int replication) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "scrape_configs:\n  - job_name: farm\n    scrape_interval: 1s\n    static_configs:\n "
                + "     - targets:\n");
    for (int p = BASE; p < BASE + TARGETS; p++) {
      yaml.append("          - 127.0.0.1:").append(p).append('\n');
    }
    try (EngineHarness a = new EngineHarness(false, new ShardFilter(2, 0, replication));
        EngineHarness b = new EngineHarness(false, new ShardFilter(2, 1, replication))) {
      a.apply(yaml.toString());
      b.apply(yaml.toString());
      int expectedEach = replication == 2 ? TARGETS : -1;
      EngineHarness.await(
          "every kept target up",
          Duration.ofSeconds(20),
          () -> {
            if (!a.manager.pools().containsKey("farm") || !b.manager.pools().containsKey("farm")) {
              return false;
            }
            int na = a.manager.pools().get("farm").activeTargets().size();
            int nb = b.manager.pools().get("farm").activeTargets().size();
            return na > 0 && nb > 0 && scrapedUp(a).size() == na && scrapedUp(b).size() == nb;
          });
      Set<String> sa = scrapedUp(a);
      Set<String> sb = scrapedUp(b);
      if (replication == 1) {
        Set<String> both = new HashSet<>(sa);
        both.retainAll(sb);
        assertEquals(Set.of(), both, "no target scraped twice");
        assertEquals(TARGETS, sa.size() + sb.size(), "every target scraped once");
        assertEquals(TARGETS - sa.size(), a.manager.pools().get("farm").droppedTargetCount());
      } else {
        assertEquals(expectedEach, sa.size());
        assertEquals(expectedEach, sb.size());
      }
    }
  }
}
