package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code quarry.*} settings are converted at start-up; a bad one fails naming itself. */
class QuarrySettingsTest {
  static QuarrySettings settings(Map<String, String> values) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(values, "test", 500))
            .withMapping(QuarrySettings.class)
            .build();
    return config.getConfigMapping(QuarrySettings.class);
  }

  @Test
  void defaultsAreTyped() {
    QuarrySettings s = settings(Map.of());
    assertEquals(StorageMode.SERVER, s.storage().mode());
    assertEquals(Duration.ofMinutes(2), s.query().timeout());
    assertEquals(Duration.ofDays(15), s.storage().retention().time());
    assertEquals(0L, s.storage().retention().size());
    assertEquals(2L << 30, s.remoteWrite().maxBacklog());
    assertEquals(Optional.empty(), s.scrape().maxBodyBytes());
  }

  @Test
  void valuesInPrometheusSyntax() {
    QuarrySettings s =
        settings(
            Map.of(
                "quarry.query.timeout", "1m30s",
                "quarry.storage.mode", "agent",
                "quarry.storage.retention.size", "10GB",
                "quarry.scrape.max-body-bytes", "64MB"));
    assertEquals(Duration.ofSeconds(90), s.query().timeout());
    assertEquals(StorageMode.AGENT, s.storage().mode());
    assertEquals(10L << 30, s.storage().retention().size());
    assertEquals(Optional.of(64L << 20), s.scrape().maxBodyBytes());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "quarry.query.timeout, 2x, invalid duration \"2x\"",
    "quarry.query.lookback-delta, 5 m, invalid duration \"5 m\"",
    "quarry.reload-interval, 1.5s, invalid duration \"1.5s\"",
    "quarry.storage.block-range, -2h, invalid duration \"-2h\"",
    "quarry.storage.retention.time, 15days, invalid duration \"15days\"",
    "quarry.storage.housekeeping-interval, often, invalid duration \"often\"",
    "quarry.storage.retention.size, 10G, invalid size \"10G\"",
    "quarry.remote-write.max-backlog, lots, invalid size \"lots\"",
    "quarry.scrape.max-body-bytes, 1.5MB, invalid size \"1.5MB\"",
    "quarry.storage.mode, disk, 'expected server, agent or memory, got \"disk\"'",
  })
  void aBadValueFailsNamingTheSetting(String name, String value, String reason) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> settings(Map.of(name, value)));
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains(name), message);
    assertTrue(message.contains(reason), message);
  }
}
