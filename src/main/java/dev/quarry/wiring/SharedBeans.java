package dev.quarry.wiring;

import dev.quarry.discovery.TargetSetListener;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.scrape.ScrapeManager;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Beans that connect components without either depending on the other: the one {@link
 * HttpClientFactory} (scrape pools, HTTP discovery and remote write build their clients from it),
 * and discovery's {@link TargetSetListener}, which is the scrape manager.
 */
@ApplicationScoped
public class SharedBeans {
  @Produces
  @Singleton
  HttpClientFactory httpClients(Vertx vertx) {
    return new HttpClientFactory(vertx);
  }

  @Produces
  @Singleton
  TargetSetListener targetSets(ScrapeManager scrape) {
    return scrape::updateTargetSets;
  }
}
