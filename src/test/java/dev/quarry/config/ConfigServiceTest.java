package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.ObserverException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload outcomes without Quarkus: the status and the config in force always agree. */
class ConfigServiceTest {
  static final String A = "scrape_configs:\n  - job_name: a\n";
  static final String B = "scrape_configs:\n  - job_name: b\n";

  @TempDir Path dir;
  final List<String> announced = new CopyOnWriteArrayList<>();

  /** An Event whose only observer is {@code observer}, as CDI calls observers in order. */
  @SuppressWarnings("unchecked")
  static Event<ConfigApplied> event(Consumer<ConfigApplied> observer) {
    return (Event<ConfigApplied>)
        Proxy.newProxyInstance(
            ConfigServiceTest.class.getClassLoader(),
            new Class<?>[] {Event.class},
            (proxy, m, args) -> {
              if (!m.getName().equals("fire")) {
                throw new UnsupportedOperationException(m.getName());
              }
              observer.accept((ConfigApplied) args[0]);
              return null;
            });
  }

  static QuarrySettings settings(Path file) {
    return (QuarrySettings)
        Proxy.newProxyInstance(
            ConfigServiceTest.class.getClassLoader(),
            new Class<?>[] {QuarrySettings.class},
            (proxy, m, args) -> {
              if (m.getName().equals("configFile")) {
                return file.toString();
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }

  private static String jobs(ConfigApplied e) {
    return e.config().scrapeConfigs().stream().map(ScrapeConfig::jobName).toList().toString();
  }

  @Test
  void aReloadWhoseApplicationTimesOutReportsTheFailureAndKeepsTheRunningConfig() throws Exception {
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, A);
    ConfigService service =
        new ConfigService(
            settings(file),
            event(
                e -> {
                  announced.add(jobs(e));
                  if (e.config().scrapeConfig("b") != null) {
                    // What CDI hands back when an observer's wait (discovery, scrape manager) ends.
                    throw new ObserverException(new TimeoutException("scrape manager: 60 s"));
                  }
                }),
            new SimpleMeterRegistry());
    service.load();
    assertTrue(service.lastReload().successful());

    Files.writeString(file, B);
    ConfigException e = assertThrows(ConfigException.class, service::load);
    assertTrue(e.getMessage().contains("applying the config failed"), e.getMessage());
    assertTrue(e.getMessage().contains("scrape manager: 60 s"), e.getMessage());
    ConfigService.ReloadStatus status = service.lastReload();
    assertFalse(status.successful(), "the status must not show the previous success");
    assertEquals(e.getMessage(), status.error());
    assertNotNull(service.current().scrapeConfig("a"), "the config shown is the one in force");
    assertNull(service.current().scrapeConfig("b"));
    assertEquals(List.of("[a]", "[b]", "[a]"), announced, "the running config is re-announced");
    assertFalse(service.reloadIfChanged(), "the same failed content is not retried by checks");

    Files.writeString(file, A + "  - job_name: c\n");
    assertTrue(service.reloadIfChanged());
    assertTrue(service.lastReload().successful());
    assertNotNull(service.current().scrapeConfig("c"));
  }

  @Test
  void aChangeInAnIncludedFileOrANewMatchIsAChange() throws Exception {
    Path file = dir.resolve("prometheus.yml");
    Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(file, "scrape_config_files: ['jobs/*.yml']\n");
    Files.writeString(dir.resolve("jobs/one.yml"), "scrape_configs:\n  - job_name: one\n");
    ConfigService service =
        new ConfigService(
            settings(file), event(e -> announced.add(jobs(e))), new SimpleMeterRegistry());
    service.load();
    assertFalse(service.reloadIfChanged(), "nothing changed");

    Files.writeString(dir.resolve("jobs/one.yml"), "scrape_configs:\n  - job_name: uno\n");
    assertTrue(service.reloadIfChanged(), "an edited included file is a change");
    assertNotNull(service.current().scrapeConfig("uno"));

    Files.writeString(dir.resolve("jobs/two.yml"), "scrape_configs:\n  - job_name: two\n");
    assertTrue(service.reloadIfChanged(), "a file newly matching the glob is a change");
    assertNotNull(service.current().scrapeConfig("two"));

    Files.delete(dir.resolve("jobs/one.yml"));
    assertTrue(service.reloadIfChanged(), "a file no longer matching is a change");
    assertNull(service.current().scrapeConfig("uno"));
    assertFalse(service.reloadIfChanged());
    assertEquals(List.of("[one]", "[uno]", "[uno, two]", "[two]"), announced);
  }
}
