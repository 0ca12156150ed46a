package dev.quarry.discovery;

import dev.quarry.config.ConfigApplied;
import dev.quarry.config.ScrapeConfig;
import dev.quarry.config.ServiceDiscoveryConfig;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.scrape.ScrapeManager;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDI wiring of discovery: every applied config (re)starts the providers of its jobs, and every
 * discovery update goes to the scrape manager. Observes the config after the scrape manager, so a
 * job's pool config is known before its targets arrive; stops before the scrape manager.
 */
@ApplicationScoped
public class DiscoveryService {
  private final DiscoveryManager discovery;

  DiscoveryService(
      Vertx vertx,
      ScrapeManager scrapeManager,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.discovery =
        new DiscoveryManager(
            vertx, new HttpClientFactory(vertx), "Quarry/" + version, scrapeManager::updateTargetSets);
  }

  void onConfig(@Observes @Priority(20) ConfigApplied event) throws Exception {
    Map<String, List<ServiceDiscoveryConfig>> jobs = new LinkedHashMap<>();
    for (ScrapeConfig sc : event.config().scrapeConfigs()) {
      jobs.put(sc.jobName(), sc.serviceDiscoveryConfigs());
    }
    discovery.apply(jobs).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Completes once every provider of the first config has reported once. */
  public io.vertx.core.Future<Void> initialDiscovery() {
    return discovery.initialDiscovery();
  }

  void onStop(@Observes @Priority(5) ShutdownEvent ev) throws Exception {
    discovery.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
