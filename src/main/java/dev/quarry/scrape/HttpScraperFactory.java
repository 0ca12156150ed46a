package dev.quarry.scrape;

import dev.quarry.config.ScrapeConfig;
import dev.quarry.http.ConfiguredHttpClient;
import dev.quarry.http.HttpClientFactory;
import dev.quarry.textparse.ScrapeProtocol;
import dev.quarry.textparse.ScrapeProtocols;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The scrapers of one job: one HTTP client built from the job's config (auth, TLS, proxy,
 * redirects, HTTP/2) shared by all its targets, and the Accept header negotiated from its {@code
 * scrape_protocols}.
 */
public final class HttpScraperFactory implements ScraperFactory {
  private final Vertx vertx;
  private final ScrapeConfig config;
  private final ConfiguredHttpClient client;
  private final String accept;
  private final BufferPool buffers;
  private final String userAgent;

  public HttpScraperFactory(
      Vertx vertx,
      HttpClientFactory clients,
      ScrapeConfig config,
      BufferPool buffers,
      String userAgent) {
    this.vertx = vertx;
    this.config = config;
    this.client = clients.create("job \"" + config.jobName() + "\"", config.httpClient(), false);
    this.accept = ScrapeProtocols.acceptHeader(protocols(config.scrapeProtocols()));
    this.buffers = buffers;
    this.userAgent = userAgent;
  }

  static List<ScrapeProtocol> protocols(List<String> names) {
    return names.stream().map(ScrapeProtocol::fromConfigName).toList();
  }

  @Override
  public Scraper scraperFor(Target target) {
    return new TargetScraper(
        vertx,
        client::request,
        target.scrapeUrl(),
        accept,
        config.enableCompression(),
        config.bodySizeLimit(),
        buffers,
        userAgent,
        config.httpClient().followRedirects());
  }

  @Override
  public void close() {
    client.close();
  }
}
