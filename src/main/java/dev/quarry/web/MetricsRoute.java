package dev.quarry.web;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code GET /metrics}: Quarry's own metrics, negotiated as Go exporters (client_golang) do: the
 * text format 0.0.4 unless the {@code Accept} header asks for {@code application/openmetrics-text}
 * ({@code *}{@code /*} and no header get text). Quarkus' own handler answers OpenMetrics to both,
 * so it is moved to {@code /q/metrics} and this route serves the path scrapers use. The registry is
 * read on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class MetricsRoute {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsRoute(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  void register(@Observes Router router) {
    router.get("/metrics").order(-1).blockingHandler(this::handle, false);
  }

  /** The content type to answer a request with {@code accept} (null: no header). */
  static String negotiate(String accept) {
    if (accept != null
        && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")) {
      return OPENMETRICS;
    }
    return TEXT;
  }

  /**
   * The text format without the comma the registry's writer puts after a sample's last label
   * ({@code {code="204",}}): Prometheus reads both, client_golang writes none, and users grep for
   * {@code {code="204"}}. The label set's closing brace is the last one of a sample line (the value
   * and timestamp hold none).
   */
  static String withoutTrailingCommas(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      end = end < 0 ? text.length() : end + 1;
      int brace = text.charAt(start) == '#' ? -1 : text.lastIndexOf('}', end - 1);
      if (brace > start && text.charAt(brace - 1) == ',') {
        out.append(text, start, brace - 1).append(text, brace, end);
      } else {
        out.append(text, start, end);
      }
      start = end;
    }
    return out.toString();
  }

  private void handle(RoutingContext rc) {
    String type = negotiate(rc.request().getHeader("Accept"));
    String text = registry.scrape(type);
    byte[] body =
        (type == TEXT ? withoutTrailingCommas(text) : text).getBytes(StandardCharsets.UTF_8);
    rc.response().putHeader("Content-Type", type).end(io.vertx.core.buffer.Buffer.buffer(body));
  }
}
