package dev.quarry.discovery;

import dev.quarry.config.PrometheusConfig;
import dev.quarry.config.QuarrySettings;
import dev.quarry.config.ScrapeConfig;
import dev.quarry.config.ServiceDiscoveryConfig;
import dev.quarry.discovery.kubernetes.KubernetesDiscovery;
import dev.quarry.http.HttpClientFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDI wiring of discovery: every applied config (re)starts the providers of its jobs, and every
 * discovery update goes to the {@link TargetSetListener} it is given. The application's lifecycle
 * hands it the config after the scrape manager, so a job's pool config is known before its targets
 * arrive, and stops it before the scrape manager. Neither waits on a provider's network or disk
 * work: applying a config only starts and stops providers.
 *
 * <p>Metrics: {@code quarry_sd_received_updates_total}, {@code quarry_sd_dns_lookups_total}, {@code
 * quarry_sd_dns_lookup_failures_total}, {@code quarry_sd_discovered_targets{config}} and {@code
 * quarry_sd_refresh_failures_total{config,mechanism}} (failed refreshes, including a first report
 * that missed its bound).
 */
@ApplicationScoped
public class DiscoveryService {
  private final DiscoveryManager discovery;
  private final MeterRegistry registry;
  private final Counter receivedUpdates;
  private final Map<String, AtomicLong> discovered = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> refreshFailures = new ConcurrentHashMap<>();

  DiscoveryService(
      Vertx vertx,
      HttpClientFactory clients,
      TargetSetListener listener,
      MeterRegistry registry,
      QuarrySettings settings,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.registry = registry;
    this.receivedUpdates =
        Counter.builder("quarry.sd.received.updates")
            .description("Target set updates received from the discovery providers.")
            .register(registry);
    this.discovery =
        new DiscoveryManager(
            vertx,
            clients,
            new KubernetesDiscovery(vertx, "Quarry/" + version, registry),
            dnsDiscovery(vertx, settings, registry),
            "Quarry/" + version,
            sets -> {
              receivedUpdates.increment();
              sets.forEach(
                  (job, groups) ->
                      discoveredGauge(job)
                          .set(groups.stream().mapToLong(g -> g.targets().size()).sum()));
              listener.update(sets);
            },
            (job, mechanism, message) -> refreshFailures(job, mechanism).increment());
  }

  private static DnsDiscovery dnsDiscovery(
      Vertx vertx, QuarrySettings settings, MeterRegistry registry) {
    try {
      return new DnsDiscovery(vertx, settings.discovery().dns().server(), registry);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("quarry.discovery.dns.server: " + e.getMessage(), e);
    }
  }

  private Counter refreshFailures(String job, String mechanism) {
    return refreshFailures.computeIfAbsent(
        List.of(job, mechanism),
        k ->
            Counter.builder("quarry.sd.refresh.failures")
                .description("Failed discovery refreshes, by job and mechanism.")
                .tag("config", job)
                .tag("mechanism", mechanism)
                .register(registry));
  }

  /** {@code quarry_sd_discovered_targets{config}}: targets the job's providers found. */
  private AtomicLong discoveredGauge(String job) {
    return discovered.computeIfAbsent(
        job,
        j -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder("quarry.sd.discovered.targets", v, AtomicLong::get)
              .description("Targets found by each job's discovery, before relabelling.")
              .tag("config", j)
              .strongReference(true)
              .register(registry);
          return v;
        });
  }

  /** Starts and stops the providers of {@code config}'s jobs; waits at most 10 s for that. */
  public void apply(PrometheusConfig config) throws Exception {
    Map<String, List<ServiceDiscoveryConfig>> jobs = new LinkedHashMap<>();
    for (ScrapeConfig sc : config.scrapeConfigs()) {
      jobs.put(sc.jobName(), sc.serviceDiscoveryConfigs());
    }
    for (var it = discovered.keySet().iterator(); it.hasNext(); ) {
      String job = it.next();
      if (!jobs.containsKey(job)) {
        it.remove();
        registry
            .find("quarry.sd.discovered.targets")
            .tag("config", job)
            .meters()
            .forEach(registry::remove);
      }
    }
    refreshFailures
        .entrySet()
        .removeIf(
            e -> {
              boolean gone = !jobs.containsKey(e.getKey().get(0));
              if (gone) {
                registry.remove(e.getValue());
              }
              return gone;
            });
    // Prompt: providers are started and stopped, not waited for.
    try {
      discovery.apply(jobs).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("discovery did not take the config within 10 s", e);
    }
  }

  /**
   * Completes once every job of the config is known: each of its providers has reported once or
   * missed the first-report bound ({@link DiscoveryManager#FIRST_REPORT_BOUND}).
   */
  public io.vertx.core.Future<Void> initialDiscovery() {
    return discovery.initialDiscovery();
  }

  /** Stops every provider; waits at most 30 s. */
  public void stop() throws Exception {
    discovery.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
