package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import dev.quarry.testing.BlockedThreadReports;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 20 MB page (200,000 series, gzip on the wire) is scraped, parsed and appended without Vert.x
 * reporting a blocked event loop or worker.
 */
class LargePageTest {

  @Test
  void twentyMegabytePageDoesNotBlockTheEventLoop() throws Exception {
    BlockedThreadReports blocked = BlockedThreadReports.watch();
    StringBuilder sb = new StringBuilder(21 << 20);
    sb.append("# TYPE big_series gauge\n");
    for (int i = 0; i < 200_000; i++) {
      sb.append("big_series{shard=\"")
          .append(i % 97)
          .append("\",id=\"series-")
          .append(i)
          .append("-padding-padding-padding-padding-padding-padding-padding\"} ")
          .append(i)
          .append('\n');
    }
    Buffer page = Buffer.buffer(sb.toString());
    assertTrue(page.length() > 20_000_000, "page of " + page.length() + " bytes");
    try (EngineHarness h = new EngineHarness(true);
        TestTarget target = new TestTarget(h.vertx)) {
      target.handler =
          r -> r.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(page);
      h.apply(
          """
          scrape_configs:
            - job_name: t
              scrape_interval: 10s
              scrape_timeout: 9s
              static_configs: [{targets: ['%s']}]
          """
              .formatted(target.address()));
      Labels up = Labels.of("__name__", "up", "job", "t", "instance", target.address());
      EngineHarness.await(
          "big scrape reported",
          Duration.ofSeconds(30),
          () ->
              h.storage.last(up) != null
                  && h.onlyTarget("t").health().snapshot().state() != TargetHealth.State.UNKNOWN);
      TargetHealth.Snapshot s = h.onlyTarget("t").health().snapshot();
      assertEquals(TargetHealth.State.UP, s.state(), s.lastError());
      Labels scraped =
          Labels.of("__name__", "scrape_samples_scraped", "job", "t", "instance", target.address());
      assertEquals(200_000, h.storage.last(scraped).value());
      Labels bytes =
          Labels.of("__name__", "scrape_body_size_bytes", "job", "t", "instance", target.address());
      assertEquals(page.length(), h.storage.last(bytes).value());
    } finally {
      blocked.close();
    }
    assertEquals(List.of(), blocked.reports(), "Vert.x reported blocked threads");
  }
}
